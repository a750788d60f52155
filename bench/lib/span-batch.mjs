/**
 * The span batches bench/store.mjs and bench/stores.mjs write: call chains of
 * SPANS_PER_TRACE spans, 10 semantic-convention attributes each, traces 10 ms apart from
 * BASE_NS, ids from a seeded PRNG so every run writes the same rows.
 */
import { prng } from './prng.mjs';

export const SPANS_PER_TRACE = 10;
const SERVICES = ['gateway', 'orders', 'inventory', 'payments', 'users'];
export const BASE_NS = 1_760_000_000_000_000_000n;
/** Traces start 10 ms apart: a million spans cover about 17 minutes. */
export const TRACE_GAP_NS = 10_000_000n;

export const random = prng(42);
const hex = (bytes) => {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Math.floor(random() * 256).toString(16).padStart(2, '0');
  return out;
};

function attributes(i) {
  return {
    'http.request.method': i % 3 === 0 ? 'POST' : 'GET',
    'url.path': `/api/orders/${1000 + (i % 5000)}`,
    'http.response.status_code': i % 50 === 0 ? 500 : 200,
    'server.address': 'orders.internal',
    'server.port': 8080,
    'network.protocol.version': '1.1',
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) tracedock-bench/1.0',
    'http.route': '/api/orders/:id',
    'app.cache_hit': i % 2 === 0,
    'app.queue_seconds': 0.001 * (i % 50),
  };
}

/** Spans first..first+count-1; span k of a trace is the child of span k-1 (a call chain). */
export function makeBatch(first, count, traceIds) {
  const rows = [];
  let parent = null;
  let traceId = '';
  for (let i = first; i < first + count; i++) {
    const k = i % SPANS_PER_TRACE;
    const trace = Math.floor(i / SPANS_PER_TRACE);
    if (k === 0 || traceId === '') {
      traceId = hex(16);
      traceIds.push(traceId);
      parent = null;
    }
    const startNs = BASE_NS + BigInt(trace) * TRACE_GAP_NS + BigInt(k) * 100_000n;
    const durationNs = BigInt(Math.round(1e6 * Math.exp(random() * 4)));
    const service = SERVICES[k % SERVICES.length];
    const spanId = hex(8);
    rows.push({
      traceId, spanId, parentSpanId: parent, traceState: '', service, name: `op-${k}`,
      kind: k === 0 ? 2 : 3, startNs, endNs: startNs + durationNs, statusCode: i % 50 === 0 ? 2 : 0,
      statusMessage: '', attributes: attributes(i), events: [], links: [],
      resource: { 'service.name': service, 'host.name': 'a1b2c3d4e5f6', 'container.id': 'f'.repeat(64) },
      scopeName: '@opentelemetry/instrumentation-http', scopeVersion: '0.201.0', containerId: 'f'.repeat(64),
    });
    parent = spanId;
  }
  return rows;
}

