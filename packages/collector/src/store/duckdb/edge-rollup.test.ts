import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../../test/support/wait.js';
import type { SpanRow } from '../../model/rows.js';
import type { ServiceMapEdge, TimeRange } from '../Store.js';
import { appendSpans } from './append.js';
import { Database } from './database.js';
import { DuckDbStore } from './DuckDbStore.js';
import { EdgeRollupJob } from './edge-rollup-job.js';
import { edgeMinuteCount } from './edge-rollup.js';
import { serviceEdges } from './queries/service-map.js';
import { applyRetention } from './retention.js';
import { MINUTE_NS, minuteOf } from './span-minutes.js';
import { T0_NS, makeSpan, spanIdOf, traceIdOf } from './testing/fixtures.js';

const M0 = minuteOf(T0_NS);
const NS_PER_MS = 1_000_000n;
/** A clock well after the data, so that every minute is closed. */
const LATER_MILLIS = Number((M0 + 60n * MINUTE_NS) / NS_PER_MS);
const SERVICES = ['gateway', 'orders', 'inventory', 'payments'];

let nextSpan = 1;
let nextTrace = 1;
function span(overrides: Partial<SpanRow>): SpanRow {
  return makeSpan({ spanId: spanIdOf(nextSpan++), ...overrides });
}

/**
 * Traces over 12 minutes: a root, a child in another service that starts 0 s to 4.5 min
 * later (so across minute ends, and within the 5-minute look-back), a grandchild that
 * fails 1 time in 7, a same-service child (not an edge), and every 10th trace a child
 * 6 minutes after its parent (beyond the look-back: no edge).
 */
function traces(count: number, fromNs: bigint, spreadNs: bigint): SpanRow[] {
  const rows: SpanRow[] = [];
  for (let i = 0; i < count; i++) {
    const traceId = traceIdOf(nextTrace++);
    const t = fromNs + (BigInt(i) * spreadNs) / BigInt(count);
    const duration = (k: number): bigint => BigInt(Math.round(1e5 * Math.pow(10, (3 * ((i * 7919 + k * 104729) % 1000)) / 1000)));
    const root = span({ traceId, service: SERVICES[i % 2] ?? 'gateway', startNs: t, endNs: t + duration(0) });
    const childStart = t + (BigInt(i % 10) * 27n * MINUTE_NS) / 60n;
    const child = span({ traceId, parentSpanId: root.spanId, service: SERVICES[1 + (i % 3)] ?? 'orders', startNs: childStart, endNs: childStart + duration(1) });
    const grandchild = span({
      traceId, parentSpanId: child.spanId, service: 'payments', startNs: childStart + 1n, endNs: childStart + duration(2),
      statusCode: i % 7 === 0 ? 2 : 0,
    });
    const internal = span({ traceId, parentSpanId: root.spanId, service: root.service, startNs: t + 2n, endNs: t + 3n });
    rows.push(root, child, grandchild, internal);
    if (i % 10 === 0) {
      const farStart = t + 6n * MINUTE_NS;
      rows.push(span({ traceId, parentSpanId: root.spanId, service: 'inventory', startNs: farStart, endNs: farStart + 5n }));
    }
  }
  return rows;
}

async function write(db: Database, rows: readonly SpanRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.append((conn) => appendSpans(conn, rows.slice(i, i + 500)));
}

/** The histogram answer as if nothing were rolled up: everything joined live. */
async function liveHistogram(conn: DuckDBConnection, range: TimeRange): Promise<ServiceMapEdge[]> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run('DELETE FROM span_edge_rollups');
    return await serviceEdges(conn, range, 0);
  } finally {
    await conn.run('ROLLBACK');
  }
}

async function rollUpAll(job: EdgeRollupJob): Promise<number> {
  let rolled = 0;
  for (let n = await job.runOnce(); n > 0; n = await job.runOnce()) rolled += n;
  return rolled;
}

const RANGES: readonly TimeRange[] = [
  { startNs: M0, endNs: M0 + 20n * MINUTE_NS },
  { startNs: M0 + MINUTE_NS / 3n, endNs: M0 + 9n * MINUTE_NS + MINUTE_NS / 7n },
  { startNs: M0 + 4n * MINUTE_NS + 1n, endNs: M0 + 6n * MINUTE_NS - 1n },
  { startNs: M0 + 5n * MINUTE_NS + 10n, endNs: M0 + 5n * MINUTE_NS + 20n * NS_PER_MS * 1000n },
];

describe('service-map edges from per-minute roll-ups', () => {
  let db: Database;
  let job: EdgeRollupJob;
  beforeAll(async () => {
    db = await Database.open(':memory:');
    job = new EdgeRollupJob(db, { nowMillis: () => LATER_MILLIS });
    await write(db, traces(3000, M0, 12n * MINUTE_NS));
  });
  afterAll(async () => {
    await job.shutdown();
    await db.close();
  });

  async function expectRolledEqualsLive(): Promise<void> {
    for (const range of RANGES) {
      const live = await db.read((conn) => liveHistogram(conn, range));
      const rolled = await db.read((conn) => serviceEdges(conn, range, 0));
      expect(rolled).toEqual(live);
      const exact = await db.read((conn) => serviceEdges(conn, range, Number.MAX_SAFE_INTEGER));
      expect(rolled.map((e) => [e.from, e.to, e.calls, e.errors])).toEqual(exact.map((e) => [e.from, e.to, e.calls, e.errors]));
      // The bucket is within 2.2% of the span of rank floor((n - 1) * 0.95); the exact p95
      // interpolates towards the next one, which with few calls can be far off.
      for (const [i, edge] of exact.entries()) {
        if (edge.calls < 200) continue;
        expect(Math.abs((rolled[i]?.p95Ms ?? 0) / edge.p95Ms - 1)).toBeLessThan(0.05);
      }
    }
  }

  it('gives the live answer: counts exact, p95 close, partial minutes at the ends', async () => {
    const before = await db.read((conn) => serviceEdges(conn, RANGES[0] as TimeRange, 0));
    expect(before.length).toBeGreaterThan(4);
    expect(before.some((e) => e.errors > 0)).toBe(true);
    expect(before.some((e) => e.from === e.to)).toBe(false);
    expect(await rollUpAll(job)).toBeGreaterThan(10);
    expect(await db.read(edgeMinuteCount)).toBeGreaterThan(10);
    await expectRolledEqualsLive();
    expect(await job.runOnce()).toBe(0);
  });

  it('counts late spans at once, through the live join, and rolls their minutes up again', async () => {
    // A child whose parent arrives later, 2 minutes before it; then more traces in rolled minutes.
    const traceId = traceIdOf(nextTrace++);
    const parentSpanId = spanIdOf(nextSpan++);
    const childStart = M0 + 7n * MINUTE_NS + 5n;
    await write(db, [span({ traceId, parentSpanId, service: 'search', startNs: childStart, endNs: childStart + 1000n })]);
    expect(await rollUpAll(job)).toBeGreaterThan(0);
    const parentStart = M0 + 5n * MINUTE_NS + 9n;
    await write(db, [span({ traceId, spanId: parentSpanId, service: 'gateway', startNs: parentStart, endNs: parentStart + 5000n })]);
    await write(db, traces(300, M0 + 3n * MINUTE_NS, 2n * MINUTE_NS));
    await expectRolledEqualsLive();
    const edges = await db.read((conn) => serviceEdges(conn, RANGES[0] as TimeRange, 0));
    expect(edges.find((e) => e.from === 'gateway' && e.to === 'search')?.calls).toBe(1);
    expect(await rollUpAll(job)).toBeGreaterThan(0);
    await expectRolledEqualsLive();
  });

  it('joins scattered out-of-date minutes live, beside the rolled-up ones', async () => {
    for (const every of [2n, 3n]) {
      for (const range of RANGES) {
        const live = await db.read((conn) => liveHistogram(conn, range));
        const mixed = await db.read(async (conn) => {
          await conn.run('BEGIN TRANSACTION');
          try {
            await conn.run(`DELETE FROM span_edge_rollups WHERE (minute_ns // ${MINUTE_NS}) % ${every} = 0`);
            return await serviceEdges(conn, range, 0);
          } finally {
            await conn.run('ROLLBACK');
          }
        });
        expect(mixed).toEqual(live);
      }
    }
  });

  it('leaves minutes that are not closed yet to the live join', async () => {
    const early = new EdgeRollupJob(db, { nowMillis: () => Number((M0 + 3n * MINUTE_NS) / NS_PER_MS) });
    // Minute 0 closes at M0 + 1 min; with the 2-minute lag only it may be rolled up.
    await db.write((conn) => conn.run('DELETE FROM span_edge_rollups'));
    expect(await early.runOnce()).toBe(1);
    expect(await early.runOnce()).toBe(0);
    expect(await rollUpAll(job)).toBeGreaterThan(10);
    await early.shutdown();
  });

  it('deletes roll-ups with their minutes under retention', async () => {
    const nowNs = M0 + 8n * MINUTE_NS;
    await db.write((conn) => applyRetention(conn, db.path, { nowNs, maxAgeNs: 4n * MINUTE_NS, maxBytes: Number.MAX_SAFE_INTEGER }));
    const oldest = await db.read(async (conn) => {
      const result = await conn.runAndReadAll('SELECT min(minute_ns) AS m FROM span_edge_minutes');
      return result.getRowObjects()[0]?.m;
    });
    expect(oldest).toBe(M0 + 4n * MINUTE_NS);
    const oldestPair = await db.read(async (conn) => {
      const result = await conn.runAndReadAll('SELECT min(start_ns) AS t, count(*) AS n FROM span_edge_pairs');
      return result.getRowObjects()[0];
    });
    expect(oldestPair?.t).toBeGreaterThanOrEqual(nowNs - 4n * MINUTE_NS);
    expect(Number(oldestPair?.n)).toBeGreaterThan(0);
    await expectRolledEqualsLive();
    await rollUpAll(job);
    await expectRolledEqualsLive();
  });
});

describe('the roll-up job in the store', () => {
  it('rolls up in the background and stops on shutdown, twice safely', async () => {
    const store = new DuckDbStore({ path: ':memory:', edgeRollup: { nowMillis: () => LATER_MILLIS, busyDelayMillis: 1 } });
    await store.start();
    expect((await store.writeSpans(traces(200, M0, 5n * MINUTE_NS))).ok).toBe(true);
    const stats = await waitFor('the background job to roll up the 5 minutes', () => {
      const now = store.edgeRollupStats();
      return now.minutesRolled >= 5 || now.errors > 0 ? now : undefined;
    }, { lastSeen: () => store.edgeRollupStats() });
    expect(stats).toMatchObject({ errors: 0 });
    expect(stats.minutesRolled).toBeGreaterThanOrEqual(5);
    await Promise.all([store.shutdown(), store.shutdown()]);
  });
});
