import { randomBytes } from 'node:crypto';
import type { LogRow, SpanRow } from '../../src/model/rows.js';

/** A random id of `bytes` bytes as lowercase hex (16 for trace ids, 8 for span ids). */
export function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A valid span row; tests override what they look at. */
export function spanRow(overrides: Partial<SpanRow> = {}): SpanRow {
  const startNs = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: hexId(16),
    spanId: hexId(8),
    parentSpanId: null,
    traceState: '',
    service: 'test-service',
    name: 'GET /',
    kind: 2,
    startNs,
    endNs: startNs + 5_000_000n,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    resource: { 'service.name': 'test-service' },
    scopeName: 'test',
    scopeVersion: '',
    containerId: null,
    ...overrides,
  };
}

export function logRow(overrides: Partial<LogRow> = {}): LogRow {
  const timeNs = BigInt(Date.now()) * 1_000_000n;
  return {
    timeNs,
    observedTimeNs: timeNs,
    traceId: null,
    spanId: null,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello',
    attributes: {},
    resource: { 'service.name': 'test-service' },
    service: 'test-service',
    scopeName: 'test',
    source: 'otlp',
    containerId: null,
    ...overrides,
  };
}

export function spanRows(count: number): SpanRow[] {
  return Array.from({ length: count }, () => spanRow());
}
