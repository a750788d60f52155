/**
 * The spans of test/clickhouse-analytics.test.ts: one hour per scenario (trace search,
 * services, service map, operations), so that one's spans never reach another's answers.
 * `rows` holds each span once; `copies` are spans a retry stored again (written after them,
 * from another host). Durations carry odd nanoseconds: an interpolation
 * that rounds them differently shows.
 */
import type { SpanRow } from '../../packages/collector/src/model/rows.js';
import type { TimeRange } from '../../packages/collector/src/store/Store.js';
import { MINUTE_NS } from '../../packages/collector/src/store/duckdb/span-minutes.js';
import { T0_NS, makeSpan, ms, spanIdOf, traceIdOf } from '../../packages/collector/src/store/duckdb/testing/fixtures.js';

const HOUR_NS = 60n * MINUTE_NS;
export const hour = (n: number): bigint => T0_NS + BigInt(n) * HOUR_NS;
export const window = (n: number): TimeRange => ({ startNs: hour(n), endNs: hour(n) + 55n * MINUTE_NS });
const at = (n: number, minute: number, offsetMs = 0): { startNs: bigint } => ({ startNs: hour(n) + BigInt(minute) * MINUTE_NS + ms(offsetMs) });

let nextSpan = 1;
function span(traceNo: number, start: { startNs: bigint }, durationNs: bigint, overrides: Partial<SpanRow> = {}): SpanRow {
  return makeSpan({ traceId: traceIdOf(traceNo), spanId: spanIdOf(nextSpan++), ...start, endNs: start.startNs + durationNs, ...overrides });
}
const child = (parent: SpanRow, start: { startNs: bigint }, durationNs: bigint, overrides: Partial<SpanRow>): SpanRow =>
  span(Number.parseInt(parent.traceId, 16), start, durationNs, { parentSpanId: parent.spanId, ...overrides });
/** The copy of a span a retry stored again that ended later: the one both stores must keep. */
const resent = (s: SpanRow): SpanRow => ({ ...s, endNs: s.endNs + ms(3) + 7n });

// Hour 0: traces to search, newest first: t1, t7, t2, t5, cycle, t3, t4.
export const t1 = span(0x101, at(0, 50), ms(50) + 11n, { name: 'GET /checkout', attributes: { 'http.route': '/checkout', 'http.status_code': 200 } });
const t1b = child(t1, at(0, 50, 5), ms(30) + 3n, { service: 'orders', name: 'POST /orders', attributes: { 'app.flag': true, 'app.ratio': 0.25, retries: -1 } });
const t1c = child(t1b, at(0, 50, 9), ms(12) + 1n, { service: 'payments', name: 'charge', statusCode: 2, attributes: { 'http.status_code': 500 } });
export const t2 = span(0x102, at(0, 40), ms(20) + 5n, { name: 'GET /checkout', attributes: { 'http.status_code': 404 } });
const t2b = child(t2, at(0, 40, 2), ms(8), { service: 'orders', name: 'POST /orders', attributes: { 'app.flag': 'true', note: 'say "hi"\t– ünï\\' } });
export const t3 = span(0x103, at(0, 10), ms(5) + 9n, { service: 'orders', name: 'POST /orders', attributes: { 'http.status_code': '200', big: 1e20, tags: ['a', 2] } });
export const t4 = span(0x104, at(0, 1), ms(1), { name: 'GET /health', attributes: { empty: '', none: null }, resource: { 'service.name': 'gateway', 'deployment.environment': 'prod', 'host.tags': ['edge', 'eu'] } });
// A partial trace: two spans' parents are missing; the earlier one stands as the root, not
// the earliest span (a child of the other, its clock behind).
export const t5 = span(0x105, at(0, 30, 2), ms(9), { service: 'inventory', name: 'lookup', parentSpanId: spanIdOf(0xbeef) });
const t5b = span(0x105, at(0, 30, 7), ms(4), { service: 'inventory', name: 'reserve', parentSpanId: spanIdOf(0xdead) });
const t5c = child(t5b, at(0, 30, 1), ms(1), { service: 'stock', name: 'skewed' });
// A parent cycle: no root, the earliest span (auth) stands in.
export const cycle = span(0x106, at(0, 20, 1), ms(3), { service: 'billing', name: 'b', parentSpanId: spanIdOf(9002) });
const cycleB = span(0x106, at(0, 20), ms(6), { service: 'auth', name: 'a', spanId: spanIdOf(9002), parentSpanId: cycle.spanId });
// Stored twice: t7's child (its copy that ended first failed) and t7 itself, by another host.
export const t7 = span(0x107, at(0, 45), ms(15) + 1n, { service: 'gateway', name: 'GET /cart' });
const t7b = child(t7, at(0, 45, 1), ms(5), { service: 'cart', name: 'load' });

// Hour 1: services. alpha's durations (ns) have a p95 and p99 that another rounding of the
// interpolation (ClickHouse's quantileExactInclusive, or lo + d·(hi - lo)) misses in the last
// bit; its last span is stored twice, and its copy that ended last (5971868 ns) counts.
const alpha = [1341228n, 2693172n, 3287821n, 4737142n, 2971861n].map((d, i) => span(0x200 + i, at(1, i), d, { service: 'alpha', statusCode: i === 4 ? 2 : 0 }));
const beta = [7, 100].map((d, i) => span(0x210 + i, at(1, 10 + i), ms(d) + 1n, { service: 'beta', statusCode: 2 }));
const gamma = span(0x220, at(1, 20), ms(2), { service: 'gamma' });

// Hour 2: the service map. Edges gateway -> orders (3 calls, 1 error; one parent starts before
// the range, within the look-back) and orders -> payments (2 calls, 2 errors, one child stored
// twice, one parent too); not edges: the same service, a missing parent, a parent more than
// 5 minutes before the child's minute.
const g1 = span(0x301, at(2, 1), ms(40) + 3n, { service: 'gateway' });
const g2 = span(0x302, at(2, 2), ms(40), { service: 'gateway' });
const early = span(0x303, { startNs: hour(2) - 2n * MINUTE_NS }, ms(40), { service: 'gateway' });
const o1 = child(g1, at(2, 1, 1), 3982865n, { service: 'orders' });
const o2 = child(g2, at(2, 2, 1), 1926998n, { service: 'orders', statusCode: 2 });
const o3 = child(early, at(2, 0, 500), 2420570n, { service: 'orders' });
const p2 = child(o2, at(2, 2, 2), ms(3), { service: 'payments', statusCode: 2 });

// Hour 3: operations. GET /orders's four durations interpolate at position 2.85.
const ops = [3664013n, 1247013n, 2157013n, 4958013n].map((d, i) => span(0x400 + i, at(3, i), d, { service: 'orders', name: 'GET /orders' }));

export const rows: SpanRow[] = [
  t1, t1b, t1c, t2, t2b, t3, t4, t5, t5b, t5c, cycle, cycleB, t7, resent(t7b),
  ...alpha.slice(0, 4), resent(alpha[4] as SpanRow), ...beta, gamma,
  g1, g2, early, o1, o2, o3, child(o1, at(2, 1, 2), ms(9), { service: 'payments', statusCode: 2 }), resent(p2),
  child(g1, at(2, 1, 3), ms(1), { service: 'gateway' }), child(g1, at(2, 8), ms(2), { service: 'inventory' }),
  span(0x304, at(2, 3), ms(2), { service: 'payments', parentSpanId: spanIdOf(0xfeed) }),
  ...ops, span(0x410, at(3, 5), ms(4), { service: 'orders', name: 'POST /orders' }), span(0x411, at(3, 6), ms(4), { service: 'payments', name: 'charge' }),
];
export const copies: SpanRow[] = [{ ...t7b, statusCode: 2 }, t7, alpha[4] as SpanRow, g1, p2];
