import type { LogRow, SpanRow } from '../model/rows.js';
import { CONTAINER_ID, logRow, NS_PER_MS, spanRow } from './test-support.js';

/** Ids and times of the seeded demo trace: gateway → orders → inventory (error). */
export const SEED = {
  t0Ms: 1_700_000_000_000n,
  otherTraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  rootSpanId: 'b7ad6b7169203331',
  ordersSpanId: '00f067aa0ba902b7',
  inventorySpanId: 'a1b2c3d4e5f60718',
  inventoryContainerId: 'b'.repeat(64),
} as const;

const at = (offsetMs: bigint): bigint => (SEED.t0Ms + offsetMs) * NS_PER_MS;

/** A three-service trace with one error, plus a fast unrelated trace. */
export function seedSpans(): SpanRow[] {
  return [
    spanRow({ spanId: SEED.rootSpanId, startNs: at(0n), endNs: at(250n) }),
    spanRow({
      spanId: SEED.ordersSpanId, parentSpanId: SEED.rootSpanId, service: 'orders', name: 'POST /orders',
      startNs: at(20n), endNs: at(200n), attributes: { 'http.route': '/orders' },
      resource: { 'service.name': 'orders' }, containerId: CONTAINER_ID,
    }),
    spanRow({
      spanId: SEED.inventorySpanId, parentSpanId: SEED.ordersSpanId, service: 'inventory', name: 'reserve',
      kind: 3, startNs: at(50n), endNs: at(150n), statusCode: 2, statusMessage: 'out of stock',
      resource: { 'service.name': 'inventory' }, containerId: SEED.inventoryContainerId,
      events: [{ timeNs: at(149n), name: 'exception', attributes: { 'exception.message': 'out of stock' } }],
    }),
    spanRow({
      traceId: SEED.otherTraceId, spanId: 'c'.repeat(16), name: 'GET /health',
      startNs: at(1_000n), endNs: at(1_001n), attributes: { 'http.route': '/health' },
    }),
  ];
}

/** Logs of the seeded trace (inside and outside its ±5 min window) and one container stdout line. */
export function seedLogs(): LogRow[] {
  const fiveMinutesMs = 5n * 60_000n;
  return [
    logRow({ timeNs: at(100n), body: 'order placed' }),
    logRow({
      timeNs: at(149n), spanId: SEED.inventorySpanId, service: 'inventory', severityNumber: 17,
      severityText: 'ERROR', body: 'Out Of Stock for sku 42', containerId: SEED.inventoryContainerId,
      resource: { 'service.name': 'inventory' },
    }),
    logRow({ timeNs: at(250n + fiveMinutesMs - 1_000n), body: 'late retry of the order' }),
    logRow({ timeNs: at(250n + 2n * fiveMinutesMs), body: 'much later, same trace id' }),
    logRow({
      timeNs: at(120n), traceId: null, spanId: null, service: 'orders', severityNumber: 0, severityText: '',
      body: 'GET /orders 201', source: 'stdout', containerId: CONTAINER_ID,
    }),
  ];
}
