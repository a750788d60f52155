import { describe, expect, it } from 'vitest';
import { formatContainer, formatContainerEvent, formatSample, formatSpan, formatTraceSummary } from './format.js';
import { containerRow, eventRow, NS_PER_MS, sampleRow, spanRow } from './test-support.js';

describe('format', () => {
  it('writes span times as ns strings, duration in ms with sub-ms digits, kind and status by name', () => {
    const wire = formatSpan(
      spanRow({
        startNs: 1_700_000_000_000_000_001n,
        endNs: 1_700_000_000_002_500_001n,
        kind: 3,
        statusCode: 2,
        statusMessage: 'boom',
        events: [{ timeNs: 1_700_000_000_001_000_000n, name: 'exception', attributes: { 'exception.type': 'Error' } }],
        links: [{ traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceState: '', attributes: {} }],
      }),
    );
    expect(wire).toMatchObject({
      startNs: '1700000000000000001',
      endNs: '1700000000002500001',
      durationMs: 2.5,
      kind: 'CLIENT',
      status: { code: 'ERROR', message: 'boom' },
      events: [{ timeNs: '1700000000001000000', name: 'exception', attributes: { 'exception.type': 'Error' } }],
      links: [{ traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceState: '', attributes: {} }],
      containerId: null,
    });
    expect(Object.keys(wire)).not.toContain('statusCode');
    expect(formatSpan(spanRow({ kind: 0, statusCode: 0 }))).toMatchObject({ kind: 'UNSPECIFIED', status: { code: 'UNSET' } });
  });

  it('writes trace summaries with durationMs', () => {
    const wire = formatTraceSummary({
      traceId: 'a'.repeat(32), rootService: 'gateway', rootName: 'GET /', startNs: 5n, durationNs: 1_250_000n,
      spanCount: 3, errorCount: 1, services: ['gateway', 'orders'],
    });
    expect(wire).toEqual({
      traceId: 'a'.repeat(32), rootService: 'gateway', rootName: 'GET /', startNs: '5', durationMs: 1.25,
      spanCount: 3, errorCount: 1, services: ['gateway', 'orders'],
    });
  });

  it('writes sample and event times as ms numbers for charts', () => {
    expect(formatSample(sampleRow({ timeNs: 1_700_000_000_123n * NS_PER_MS })).t).toBe(1_700_000_000_123);
    expect(formatContainerEvent(eventRow({ timeNs: 1_700_000_000_050n * NS_PER_MS }))).toEqual({
      t: 1_700_000_000_050, action: 'restart', attributes: { exitCode: '137' },
    });
  });

  it('writes container start as RFC 3339 and exact ns, null when unknown', () => {
    const wire = formatContainer(containerRow({ startedAtNs: 1_700_000_000_123_456_789n }));
    expect(wire.startedAt).toBe('2023-11-14T22:13:20.123Z');
    expect(wire.startedAtNs).toBe('1700000000123456789');
    expect(formatContainer(containerRow({ startedAtNs: null }))).toMatchObject({ startedAt: null, startedAtNs: null });
  });
});
