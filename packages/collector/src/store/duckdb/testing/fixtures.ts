import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ContainerEventRow,
  ContainerRow,
  ContainerSampleRow,
  LogRow,
  MetricPointRow,
  SpanRow,
} from '../../../model/rows.js';
import type { TimeRange } from '../../Store.js';
import { DuckDbStore } from '../DuckDbStore.js';

/*
 * Row builders and store helpers for the DuckDB store's tests (and the crash child they
 * spawn). Times carry sub-millisecond digits on purpose: any rounding through a double
 * would show up in the round-trip tests.
 */

/** 2023-11-14T22:13:20.123456789Z, with sub-millisecond digits a double would lose. */
export const T0_NS = 1_700_000_000_123_456_789n;
export const NS_PER_MS = 1_000_000n;

export function ms(count: number): bigint {
  return BigInt(count) * NS_PER_MS;
}

export function traceIdOf(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function spanIdOf(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function rangeOf(startNs: bigint, endNs: bigint): TimeRange {
  return { startNs, endNs };
}

/** Everything from well before T0_NS to well after it. */
export const ALL_TIME: TimeRange = rangeOf(0n, T0_NS * 2n);

export function makeSpan(overrides: Partial<SpanRow> = {}): SpanRow {
  return {
    traceId: traceIdOf(1),
    spanId: spanIdOf(1),
    parentSpanId: null,
    traceState: '',
    service: 'gateway',
    name: 'GET /orders',
    kind: 2,
    startNs: T0_NS,
    endNs: T0_NS + ms(10),
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    resource: { 'service.name': overrides.service ?? 'gateway' },
    scopeName: '@opentelemetry/instrumentation-http',
    scopeVersion: '0.1.0',
    containerId: null,
    ...overrides,
  };
}

export function makeLog(overrides: Partial<LogRow> = {}): LogRow {
  return {
    timeNs: T0_NS,
    observedTimeNs: T0_NS + 1n,
    traceId: null,
    spanId: null,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'request handled',
    attributes: {},
    resource: { 'service.name': overrides.service ?? 'orders' },
    service: 'orders',
    scopeName: 'pino',
    source: 'otlp',
    containerId: null,
    ...overrides,
  };
}

export function makeSample(overrides: Partial<ContainerSampleRow> = {}): ContainerSampleRow {
  return {
    containerId: 'c1',
    timeNs: T0_NS,
    cpuPercent: 12.5,
    cpuThrottledMs: 0,
    memoryBytes: 104_857_600,
    memoryLimitBytes: 536_870_912,
    netRxBytes: 1024,
    netTxBytes: 2048,
    blkReadBytes: 0,
    blkWriteBytes: 4096,
    pids: 12,
    cpuPeriods: 1_000,
    cpuThrottledPeriods: 250,
    cpuLimitCores: 0.2,
    memoryFailcnt: 3,
    memoryOomKills: 1,
    cpuPressureSomeMs: 1_234.567,
    cpuPressureFullMs: 1_000.5,
    memoryPressureSomeMs: 0,
    memoryPressureFullMs: 0,
    ioPressureSomeMs: 42,
    ioPressureFullMs: 40,
    ...overrides,
  };
}

export function makeContainer(overrides: Partial<ContainerRow> = {}): ContainerRow {
  return {
    id: 'c1',
    name: 'demo-orders-1',
    image: 'demo/orders:latest',
    hostname: 'c1',
    service: 'orders',
    project: 'demo',
    state: 'running',
    startedAtNs: T0_NS,
    finishedAtNs: null,
    restartCount: 0,
    cpuLimit: 0.5,
    memoryLimitBytes: 536_870_912,
    labels: { 'com.docker.compose.service': 'orders' },
    updatedAtNs: T0_NS,
    host: 'host-a',
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<ContainerEventRow> = {}): ContainerEventRow {
  return {
    containerId: 'c1',
    timeNs: T0_NS,
    action: 'start',
    attributes: { image: 'demo/orders:latest' },
    ...overrides,
  };
}

/** A cumulative monotonic sum point (an OTel counter); override for the other types. */
export function makeMetricPoint(overrides: Partial<MetricPointRow> = {}): MetricPointRow {
  return {
    timeNs: T0_NS,
    startTimeNs: T0_NS - ms(60_000),
    service: 'orders',
    name: 'http.server.requests',
    description: 'Requests served',
    unit: '{request}',
    type: 'sum',
    temporality: 'cumulative',
    monotonic: true,
    value: 42,
    valueIsInt: true,
    count: null,
    sum: null,
    min: null,
    max: null,
    distribution: null,
    flags: 0,
    attributes: { 'http.route': '/orders' },
    resource: { 'service.name': overrides.service ?? 'orders' },
    scopeName: '@opentelemetry/instrumentation-http',
    scopeVersion: '0.1.0',
    containerId: null,
    ...overrides,
  };
}

/** A histogram point with explicit bounds: counts has one entry more than bounds. */
export function makeHistogramPoint(overrides: Partial<MetricPointRow> = {}): MetricPointRow {
  return makeMetricPoint({
    name: 'http.server.duration',
    description: 'Request duration',
    unit: 'ms',
    type: 'histogram',
    temporality: 'delta',
    monotonic: false,
    value: null,
    valueIsInt: false,
    count: 6,
    sum: 1234.5,
    min: 0.25,
    max: 900,
    distribution: { kind: 'explicit', bounds: [10, 100, 1000], counts: [1, 2, 3, 0] },
    ...overrides,
  });
}

export async function startedMemoryStore(): Promise<DuckDbStore> {
  const store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  return store;
}

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function makeTempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), 'tracedock-duckdb-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
