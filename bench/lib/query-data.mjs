/**
 * Realistic OTLP/protobuf trace requests for the query bench, made fast enough for 10M spans:
 * a pool of pre-encoded request templates (8 services, ~40 operations: HTTP server and
 * client, database and messaging spans; traces of 1-50 spans, mean ~10, parent/child links;
 * semantic-convention attributes; ~2% error spans; log-normal durations), and `stamp`, which
 * copies a template and writes fresh random trace ids and start/end times into the copy.
 *
 *   const pool = makeQueryPool({ size: 200, tracesPerRequest: 40, seed: 7 });
 *   const body = stampRequest(pool[0], scratch, { ids, firstTrace: 0, baseHi, baseLo, startNsOf: (n) => n * 1e6 });
 *
 * The encoder below writes only the OTLP fields it needs (opentelemetry/proto trace/v1).
 */
import { prng } from './prng.mjs';

/* ---------- protobuf writing: chunks of bytes with marks whose offsets follow concatenation */

function varint(value) {
  const out = [];
  let v = value;
  while (v > 127) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const chunk = (bytes, marks = []) => ({ bytes: Buffer.from(bytes), marks });

function concat(chunks) {
  const marks = [];
  let offset = 0;
  for (const c of chunks) {
    for (const m of c.marks) marks.push({ ...m, at: m.at + offset });
    offset += c.bytes.length;
  }
  return { bytes: Buffer.concat(chunks.map((c) => c.bytes)), marks };
}

const tag = (field, wireType) => varint((field << 3) | wireType);
/** A length-delimited field holding `body` (a chunk). */
function lenField(field, body) {
  return concat([chunk([...tag(field, 2), ...varint(body.bytes.length)]), body]);
}
const stringField = (field, text) => lenField(field, chunk(Buffer.from(text, 'utf8')));
const bytesField = (field, bytes, mark) => {
  const head = chunk([...tag(field, 2), ...varint(bytes.length)]);
  return concat([head, chunk(bytes, mark === undefined ? [] : [{ ...mark, at: 0 }])]);
};
const varintField = (field, value) => chunk([...tag(field, 0), ...varint(value)]);
function fixed64Field(field, mark) {
  return concat([chunk(tag(field, 1)), chunk(Buffer.alloc(8), [{ ...mark, at: 0 }])]);
}

function anyValue(value) {
  if (typeof value === 'string') return stringField(1, value);
  if (typeof value === 'boolean') return varintField(2, value ? 1 : 0);
  if (Number.isInteger(value)) return varintField(3, value);
  const b = Buffer.alloc(9);
  b[0] = (4 << 3) | 1;
  b.writeDoubleLE(value, 1);
  return chunk(b);
}
const keyValue = (key, value) => concat([stringField(1, key), lenField(2, anyValue(value))]);
const attributes = (field, attrs) => concat(Object.entries(attrs).map(([k, v]) => lenField(field, keyValue(k, v))));

/* ---------- the synthetic system */

const SERVICES = ['frontend', 'orders', 'inventory', 'payments', 'users', 'shipping', 'notifications', 'search'];
/** Per service: its HTTP routes, and whom a request to it may call (services, databases, topics). */
const SYSTEM = {
  frontend: { routes: ['GET /', 'GET /product/:id', 'POST /cart', 'POST /checkout', 'GET /search'], calls: ['orders', 'users', 'search', 'inventory'], db: null, topics: [] },
  orders: { routes: ['GET /api/orders/:id', 'POST /api/orders', 'GET /api/orders'], calls: ['inventory', 'payments', 'users', 'shipping'], db: 'postgresql', topics: ['order-events'] },
  inventory: { routes: ['GET /api/stock/:sku', 'POST /api/reserve'], calls: [], db: 'postgresql', topics: [] },
  payments: { routes: ['POST /api/charge', 'POST /api/refund'], calls: ['users'], db: 'postgresql', topics: ['payment-events'] },
  users: { routes: ['GET /api/users/:id', 'POST /api/login'], calls: [], db: 'redis', topics: [] },
  shipping: { routes: ['POST /api/shipments', 'GET /api/shipments/:id'], calls: [], db: 'mongodb', topics: ['shipment-events'] },
  notifications: { routes: ['POST /api/notify'], calls: ['users'], db: null, topics: [] },
  search: { routes: ['GET /api/search'], calls: ['inventory'], db: 'elasticsearch', topics: [] },
};
const STATEMENTS = {
  postgresql: ['SELECT * FROM orders WHERE id = $1', 'INSERT INTO orders (user_id, total) VALUES ($1, $2)', 'UPDATE stock SET reserved = reserved + $1 WHERE sku = $2', 'SELECT sku, qty FROM stock WHERE sku = ANY($1)'],
  redis: ['GET session:*', 'HGETALL user:*', 'SETEX session:* 3600'],
  mongodb: ['find shipments', 'insert shipments'],
  elasticsearch: ['POST /products/_search'],
};
const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const ERROR_RATE = 0.04;
/** 1..50 spans, mean ~10: a log-normal-ish size. */
function traceSize(random) {
  const n = Math.round(Math.exp(2.05 + 0.75 * gaussian(random)));
  return Math.min(50, Math.max(1, n));
}
function gaussian(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
const pick = (random, list) => list[Math.floor(random() * list.length)];
const concretePath = (route, random) => route.replace(/:(\w+)/g, () => String(1000 + Math.floor(random() * 90000)));

/**
 * One trace as a list of spans { service, name, kind, parent (index), relStartNs, relEndNs,
 * attributes, error }. A server span may make HTTP client calls (a client span, then the
 * callee's server span under it), database calls and message sends, until `budget` spans.
 */
function makeTrace(random, budget) {
  const spans = [];
  const userId = `user-${Math.floor(random() * 50000)}`;
  const add = (span) => {
    spans.push(span);
    return spans.length - 1;
  };
  // Log-normal durations: a root of median ~40 ms, children a share of their parent.
  const rootDurationNs = Math.round(40e6 * Math.exp(0.9 * gaussian(random)));
  const serve = (service, route, parent, startNs, durationNs) => {
    const method = route.split(' ')[0];
    const error = random() < ERROR_RATE;
    const index = add({
      service, name: route, kind: KIND.server, parent, relStartNs: startNs, relEndNs: startNs + durationNs, error,
      attributes: {
        'http.request.method': method, 'http.route': route.split(' ')[1], 'url.path': concretePath(route.split(' ')[1], random),
        'url.scheme': 'http', 'http.response.status_code': error ? 500 : method === 'POST' ? 201 : 200,
        'server.address': `${service}.internal`, 'server.port': 8080, 'client.address': `10.0.${Math.floor(random() * 8)}.${Math.floor(random() * 250)}`,
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0', 'network.protocol.version': '1.1',
        'enduser.id': userId,
      },
    });
    const node = SYSTEM[service];
    let cursor = startNs + Math.round(durationNs * 0.05);
    const step = () => Math.round(durationNs * (0.05 + 0.15 * random()));
    const children = 2 + Math.floor(random() * 5);
    for (let c = 0; c < children && spans.length < budget; c++) {
      const span = Math.min(step(), startNs + durationNs - cursor);
      if (span <= 1000) break;
      const roll = random();
      if (node.db !== null && (roll < 0.45 || node.calls.length === 0)) {
        const statement = pick(random, STATEMENTS[node.db]);
        add({
          service, name: `${statement.split(' ')[0]} ${node.db}`, kind: KIND.client, parent: index, relStartNs: cursor, relEndNs: cursor + span, error: false,
          attributes: { 'db.system': node.db, 'db.statement': statement, 'db.name': service, 'db.operation': statement.split(' ')[0], 'server.address': `${node.db}.internal`, 'server.port': 5432 },
        });
      } else if (node.topics.length > 0 && roll < 0.55) {
        const topic = pick(random, node.topics);
        const producer = add({
          service, name: `${topic} publish`, kind: KIND.producer, parent: index, relStartNs: cursor, relEndNs: cursor + Math.round(span / 4), error: false,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation': 'publish', 'messaging.message.id': `m-${Math.floor(random() * 1e9)}` },
        });
        if (spans.length < budget) {
          add({
            service: 'notifications', name: `${topic} process`, kind: KIND.consumer, parent: producer, relStartNs: cursor + Math.round(span / 2), relEndNs: cursor + span, error: false,
            attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation': 'process', 'messaging.kafka.consumer.group': 'notifications' },
          });
        }
      } else if (node.calls.length > 0) {
        const callee = pick(random, node.calls);
        const route = pick(random, SYSTEM[callee].routes);
        const client = add({
          service, name: route.split(' ')[0], kind: KIND.client, parent: index, relStartNs: cursor, relEndNs: cursor + span, error: false,
          attributes: { 'http.request.method': route.split(' ')[0], 'url.full': `http://${callee}.internal:8080${concretePath(route.split(' ')[1], random)}`, 'server.address': `${callee}.internal`, 'server.port': 8080, 'http.response.status_code': 200 },
        });
        if (spans.length < budget) {
          const inner = serve(callee, route, client, cursor + Math.round(span * 0.05), Math.round(span * 0.9));
          if (spans[inner].error) {
            spans[client].error = true;
            spans[client].attributes['http.response.status_code'] = 500;
          }
        }
      }
      cursor += span;
    }
    return index;
  };
  serve('frontend', pick(random, SYSTEM.frontend.routes), -1, 0, rootDurationNs);
  return spans;
}

function resourceOf(service) {
  return {
    'service.name': service, 'service.version': '2.4.1', 'service.namespace': 'shop', 'deployment.environment': 'production',
    'service.instance.id': `${service}-7d9f8b6c4-x2k9p`, 'host.name': `${service}-7d9f8b6c4-x2k9p`,
    'container.id': Buffer.from(service.padEnd(32, '0')).toString('hex').slice(0, 64),
    'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '2.0.1',
    'process.runtime.name': 'nodejs', 'process.runtime.version': '24.1.0',
  };
}
const SCOPE = concat([stringField(1, '@opentelemetry/instrumentation-http'), stringField(2, '0.201.0')]);

function encodeSpan(span, traceIndex, spanIndex, spanIds) {
  const parts = [
    bytesField(1, Buffer.alloc(16), { type: 'trace', trace: traceIndex }),
    bytesField(2, spanIds[spanIndex]),
  ];
  if (span.parent >= 0) parts.push(bytesField(4, spanIds[span.parent]));
  parts.push(stringField(5, span.name), varintField(6, span.kind));
  parts.push(fixed64Field(7, { type: 'time', trace: traceIndex, rel: span.relStartNs }));
  parts.push(fixed64Field(8, { type: 'time', trace: traceIndex, rel: span.relEndNs }));
  parts.push(attributes(9, span.attributes));
  const status = span.error ? concat([stringField(2, 'Internal Server Error'), varintField(3, 2)]) : chunk([]);
  parts.push(lenField(15, status));
  return concat(parts);
}

/**
 * One request of `traces` traces: one ResourceSpans per service (as a collector in front
 * of the SDKs would batch them). Marks say where each trace id and each time goes.
 */
function makeRequest(random, traces) {
  const byService = new Map(SERVICES.map((s) => [s, []]));
  const shapes = [];
  for (let t = 0; t < traces; t++) {
    const spans = makeTrace(random, traceSize(random));
    const spanIds = spans.map(() => Buffer.from(Array.from({ length: 8 }, () => Math.floor(random() * 256))));
    spans.forEach((span, i) => byService.get(span.service).push(encodeSpan(span, t, i, spanIds)));
    shapes.push({ spanCount: spans.length, errorSpans: spans.filter((s) => s.error).length, rootDurationNs: spans[0].relEndNs });
  }
  const resourceSpans = [];
  for (const [service, encoded] of byService) {
    if (encoded.length === 0) continue;
    const scopeSpans = concat([lenField(1, SCOPE), ...encoded.map((e) => lenField(2, e))]);
    resourceSpans.push(lenField(1, concat([lenField(1, attributes(1, resourceOf(service))), lenField(2, scopeSpans)])));
  }
  const request = concat(resourceSpans);
  const traceIdAt = request.marks.filter((m) => m.type === 'trace');
  const times = request.marks.filter((m) => m.type === 'time');
  return {
    bytes: request.bytes,
    traces: shapes,
    spanCount: traceIdAt.length,
    idOffsets: Int32Array.from(traceIdAt.map((m) => m.at)),
    idTraces: Int32Array.from(traceIdAt.map((m) => m.trace)),
    timeOffsets: Int32Array.from(times.map((m) => m.at)),
    timeTraces: Int32Array.from(times.map((m) => m.trace)),
    timeRel: Float64Array.from(times.map((m) => m.rel)),
  };
}

/** `size` distinct requests of `tracesPerRequest` traces each. */
export function makeQueryPool({ size = 200, tracesPerRequest = 40, seed = 7 } = {}) {
  const random = prng(seed);
  return Array.from({ length: size }, () => makeRequest(random, tracesPerRequest));
}

const TWO_32 = 2 ** 32;
export const TRACE_ID_BYTES = 16;

/**
 * Copies `entry` into `scratch`, gives trace k of it the id `ids[16k .. 16k + 16)` (random
 * bytes from the caller, as an SDK makes them) and the start time `startNsOf(firstTrace +
 * k)` (a Number of ns since the time whose 32-bit halves are baseHi and baseLo).
 * Returns the bytes to send (a view of scratch).
 */
export function stampRequest(entry, scratch, { ids, firstTrace, baseHi, baseLo, startNsOf }) {
  entry.bytes.copy(scratch, 0);
  const { idOffsets, idTraces, timeOffsets, timeTraces, timeRel } = entry;
  for (let i = 0; i < idOffsets.length; i++) {
    const from = idTraces[i] * TRACE_ID_BYTES;
    ids.copy(scratch, idOffsets[i], from, from + TRACE_ID_BYTES);
  }
  for (let i = 0; i < timeOffsets.length; i++) {
    const lo = baseLo + startNsOf(firstTrace + timeTraces[i]) + timeRel[i];
    const carry = Math.floor(lo / TWO_32);
    scratch.writeUInt32LE(lo - carry * TWO_32, timeOffsets[i]);
    scratch.writeUInt32LE(baseHi + carry, timeOffsets[i] + 4);
  }
  return scratch.subarray(0, entry.bytes.length);
}

/** Splits a bigint ns time into the high and low 32-bit halves stampRequest adds to. */
export function splitNs(ns) {
  return { baseHi: Number(ns >> 32n), baseLo: Number(ns & 0xffffffffn) };
}
