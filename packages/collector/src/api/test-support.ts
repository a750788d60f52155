import { pino } from 'pino';
import type { ContainerEventRow, ContainerRow, ContainerSampleRow, LogRow, SpanRow } from '../model/rows.js';
import type { Store } from '../store/Store.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import type { Logger } from '../telemetry/logger.js';
import { createApiApp } from './app.js';
import type { ApiDeps } from './deps.js';

/**
 * Helpers for the api/ tests (not a *.test.ts file, so that several test files share it):
 * start the real app on 127.0.0.1:0, build rows, capture the log. No test double lives here.
 */

export const NS_PER_MS = 1_000_000n;
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const CONTAINER_ID = 'a'.repeat(64);

export interface RunningApi {
  baseUrl: string;
  /** The pino lines the app wrote, parsed. */
  logLines: Record<string, unknown>[];
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

function captureLogger(lines: Record<string, unknown>[]): Logger {
  return pino({ level: 'info' }, {
    write(line: string): void {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null) lines.push({ ...parsed });
    },
  });
}

export async function startApi(store: Store, overrides: Partial<ApiDeps> = {}): Promise<RunningApi> {
  const logLines: Record<string, unknown>[] = [];
  const app = createApiApp({
    store,
    metrics: new MetricsRegistry(),
    logger: captureLogger(logLines),
    version: '0.0.0-test',
    health: () => ({ docker: { connected: false } }),
    ...overrides,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    logLines,
    get: (path, init) => fetch(`${baseUrl}${path}`, init),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}

export function spanRow(overrides: Partial<SpanRow> = {}): SpanRow {
  return {
    traceId: TRACE_ID,
    spanId: 'b7ad6b7169203331',
    parentSpanId: null,
    traceState: '',
    service: 'gateway',
    name: 'GET /orders',
    kind: 2,
    startNs: 1_700_000_000_000n * NS_PER_MS,
    endNs: 1_700_000_000_250n * NS_PER_MS,
    statusCode: 0,
    statusMessage: '',
    attributes: { 'http.request.method': 'GET' },
    events: [],
    links: [],
    resource: { 'service.name': 'gateway' },
    scopeName: 'test',
    scopeVersion: '1.0.0',
    containerId: null,
    ...overrides,
  };
}

export function logRow(overrides: Partial<LogRow> = {}): LogRow {
  return {
    timeNs: 1_700_000_000_100n * NS_PER_MS,
    observedTimeNs: 1_700_000_000_101n * NS_PER_MS,
    traceId: TRACE_ID,
    spanId: 'b7ad6b7169203331',
    severityNumber: 9,
    severityText: 'INFO',
    body: 'order placed',
    attributes: {},
    resource: { 'service.name': 'gateway' },
    service: 'gateway',
    scopeName: 'test',
    source: 'otlp',
    containerId: null,
    ...overrides,
  };
}

export function containerRow(overrides: Partial<ContainerRow> = {}): ContainerRow {
  return {
    id: CONTAINER_ID,
    name: 'demo-orders-1',
    image: 'demo/orders:latest',
    hostname: CONTAINER_ID.slice(0, 12),
    service: 'orders',
    project: 'demo',
    state: 'running',
    startedAtNs: 1_699_999_000_000n * NS_PER_MS,
    finishedAtNs: null,
    restartCount: 0,
    cpuLimit: 1,
    memoryLimitBytes: 512 * 1024 * 1024,
    labels: { 'com.docker.compose.service': 'orders' },
    updatedAtNs: 1_700_000_000_000n * NS_PER_MS,
    host: 'host-a',
    ...overrides,
  };
}

/** The sample fields added with docker/stats (schema version 2). */
export const SAMPLE_V2_FIELDS = {
  cpuPeriods: 120,
  cpuThrottledPeriods: 30,
  cpuLimitCores: 0.5,
  memoryFailcnt: 0,
  memoryOomKills: 0,
  cpuPressureSomeMs: 12.5,
  cpuPressureFullMs: 10,
  memoryPressureSomeMs: 0,
  memoryPressureFullMs: 0,
  ioPressureSomeMs: null,
  ioPressureFullMs: null,
} satisfies Partial<ContainerSampleRow>;

export function sampleRow(overrides: Partial<ContainerSampleRow> = {}): ContainerSampleRow {
  return {
    containerId: CONTAINER_ID,
    timeNs: 1_700_000_000_000n * NS_PER_MS,
    cpuPercent: 42.5,
    cpuThrottledMs: 3,
    memoryBytes: 100 * 1024 * 1024,
    memoryLimitBytes: 512 * 1024 * 1024,
    netRxBytes: 1000,
    netTxBytes: 2000,
    blkReadBytes: 0,
    blkWriteBytes: 4096,
    pids: 7,
    ...SAMPLE_V2_FIELDS,
    ...overrides,
  };
}

export function eventRow(overrides: Partial<ContainerEventRow> = {}): ContainerEventRow {
  return {
    containerId: CONTAINER_ID,
    timeNs: 1_700_000_000_050n * NS_PER_MS,
    action: 'restart',
    attributes: { exitCode: '137' },
    ...overrides,
  };
}
