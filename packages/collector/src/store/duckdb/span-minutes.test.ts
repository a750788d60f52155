import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRow } from '../../model/rows.js';
import { appendSpans } from './append.js';
import { Database } from './database.js';
import { listServices } from './queries/services.js';
import { MINUTE_NS, durationBucket, minuteOf, spanMinutes } from './span-minutes.js';
import { T0_NS, makeSpan, spanIdOf, traceIdOf } from './testing/fixtures.js';

describe('span_minutes rows', () => {
  it('buckets durations at 16 per doubling, with 0 apart', () => {
    expect(durationBucket(0)).toBe(-1);
    expect(durationBucket(1)).toBe(0);
    expect(durationBucket(2)).toBe(16);
    expect(durationBucket(1_000_000)).toBe(Math.floor(Math.log2(1e6) * 16));
  });

  it('puts a time in its minute, before the epoch too', () => {
    expect(minuteOf(MINUTE_NS + 5n)).toBe(MINUTE_NS);
    expect(minuteOf(MINUTE_NS)).toBe(MINUTE_NS);
    expect(minuteOf(-5n)).toBe(-MINUTE_NS);
  });

  it('sums a batch per minute and service', () => {
    const at = (startNs: bigint, durationNs: bigint, service: string, statusCode: 0 | 2 = 0) =>
      makeSpan({ startNs, endNs: startNs + durationNs, service, statusCode });
    const minute = minuteOf(T0_NS);
    const rows = [at(minute, 2n, 'a'), at(minute + 1n, 2n, 'a', 2), at(minute + 2n, 1n, 'a'), at(minute, 4n, 'b'), at(minute + MINUTE_NS, 1n, 'a')];
    expect(spanMinutes(rows)).toEqual([
      { minuteNs: minute, service: 'a', spans: 3, errors: 1, buckets: [0, 16], counts: [1, 2] },
      { minuteNs: minute, service: 'b', spans: 1, errors: 0, buckets: [32], counts: [1] },
      { minuteNs: minute + MINUTE_NS, service: 'a', spans: 1, errors: 0, buckets: [0], counts: [1] },
    ]);
  });
});

describe('listServices from histograms', () => {
  let db: Database;
  const rows: SpanRow[] = [];
  const startNs = minuteOf(T0_NS);
  beforeAll(async () => {
    db = await Database.open(':memory:');
    // 10 minutes, 2 services, log-normal-ish durations from 0.1 ms to 1 s; 3% errors.
    for (let i = 0; i < 20_000; i++) {
      const t = startNs + (BigInt(i) * 10n * MINUTE_NS) / 20_000n;
      const durationNs = BigInt(Math.round(1e5 * Math.pow(10, (4 * ((i * 7919) % 1000)) / 1000)));
      rows.push(makeSpan({
        traceId: traceIdOf(i + 1), spanId: spanIdOf(1), service: i % 3 === 0 ? 'b' : 'a', startNs: t, endNs: t + durationNs,
        statusCode: i % 33 === 0 ? 2 : 0,
      }));
    }
    for (let i = 0; i < rows.length; i += 1000) await db.write((conn) => appendSpans(conn, rows.slice(i, i + 1000)));
  });
  afterAll(async () => {
    await db.close();
  });

  it('agrees with the exact answer: counts exactly, percentiles within 2.5%', async () => {
    // Partial minutes at both ends come from the spans themselves.
    const range = { startNs: startNs + MINUTE_NS / 2n, endNs: startNs + 9n * MINUTE_NS + MINUTE_NS / 3n };
    const exact = await db.read((conn) => listServices(conn, range));
    const approx = await db.read((conn) => listServices(conn, range, 0));
    expect(approx.map((s) => [s.name, s.spanCount, s.errorCount])).toEqual(exact.map((s) => [s.name, s.spanCount, s.errorCount]));
    expect(exact.length).toBe(2);
    for (const [i, service] of exact.entries()) {
      for (const key of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
        expect(Math.abs((approx[i]?.[key] ?? 0) / service[key] - 1)).toBeLessThan(0.025);
      }
    }
  });
});
