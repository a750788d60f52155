// Sends one 3-level trace across three services, plus log records emitted inside its spans,
// to an OTLP endpoint through the official OpenTelemetry JS SDK (not @tracedock/sdk), then
// prints what it sent (ids, exact nanosecond times) as one JSON line on stdout so that a test
// can compare it with what the collector's query API returns. Beyond the plain fields, what
// real services send: a tracestate written by the sampler and carried across the service
// hops, a span link with its own tracestate, and an error log with the error it failed with.
//
// Usage: node send-trace.mjs <proto|json|grpc> [endpoint]
//   proto, json: OTLP/HTTP, endpoint such as http://127.0.0.1:4318 (/v1/traces, /v1/logs appended)
//   grpc:        OTLP/gRPC, endpoint such as http://127.0.0.1:4317
// Defaults: OTLP_EXPORTER_KIND and OTEL_EXPORTER_OTLP_ENDPOINT. Exit 1 when an export failed,
// 2 on bad usage.
//
// Why three TracerProviders instead of NodeSDK: NodeSDK registers one global provider with one
// resource per process, and this program plays three services (one resource each) in one run.
// The hop between services is made the way a receiving service sees it after extracting a
// `traceparent` header: a remote SpanContext as parent.
import {
  DiagConsoleLogger, DiagLogLevel, ROOT_CONTEXT, SamplingDecision, SeverityNumber, SpanKind, SpanStatusCode, TraceFlags,
  createTraceState, diag, trace,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

const KINDS = ['proto', 'json', 'grpc'];
const EXPORT_TIMEOUT_MILLIS = 5_000;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
// ExportResultCode.SUCCESS of @opentelemetry/core, which is not a direct dependency here.
const EXPORT_SUCCESS = 0;
const SCOPE = { name: 'tracedock.test.node-client', version: '0.0.1' };
// What the sampler writes into a root span's tracestate: OpenTelemetry's consistent-sampling
// entry for "keep everything" (th:0) and a vendor entry.
const ROOT_TRACE_STATE = 'ot=th:0,tracedock=js';
// The inventory span links to the restock job that holds the stock, as its producer sent it
// (the W3C trace-context example ids), with the producer's own tracestate.
const LINKED_CONTEXT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('rojo=00f067aa0ba902b7'),
};

function usage(message) {
  process.stderr.write(`send-trace: ${message}\nusage: node send-trace.mjs <${KINDS.join('|')}> [endpoint]\n`);
  process.exit(2);
}

async function loadExporters(kind, endpoint) {
  const timeoutMillis = EXPORT_TIMEOUT_MILLIS;
  if (kind === 'grpc') {
    const [{ OTLPTraceExporter }, { OTLPLogExporter }] = await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-grpc'),
      import('@opentelemetry/exporter-logs-otlp-grpc'),
    ]);
    // An http:// URL makes the gRPC exporter use an insecure (plaintext) channel.
    return {
      traces: () => new OTLPTraceExporter({ url: endpoint, timeoutMillis }),
      logs: () => new OTLPLogExporter({ url: endpoint, timeoutMillis }),
    };
  }
  const [{ OTLPTraceExporter }, { OTLPLogExporter }] = await Promise.all(
    kind === 'proto'
      ? [import('@opentelemetry/exporter-trace-otlp-proto'), import('@opentelemetry/exporter-logs-otlp-proto')]
      : [import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/exporter-logs-otlp-http')],
  );
  return {
    traces: () => new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, timeoutMillis }),
    logs: () => new OTLPLogExporter({ url: `${endpoint}/v1/logs`, timeoutMillis }),
  };
}

/**
 * Batch processors only report failed exports to the diag logger; a test must see them as a
 * non-zero exit instead of data that silently never arrives.
 */
function checked(exporter, what, failures) {
  return {
    export(items, done) {
      exporter.export(items, (result) => {
        if (result.code !== EXPORT_SUCCESS) failures.push(`${what} export of ${items.length}: ${result.error?.message ?? 'failed'}`);
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/**
 * Samples every span and starts each trace with ROOT_TRACE_STATE, as a vendor's sampler (or
 * OpenTelemetry's consistent-probability one, which writes `ot=th:...`) writes its entry; for a
 * span with a parent it gives none, and the SDK keeps the parent's.
 */
const traceStateSampler = {
  shouldSample: (context) =>
    trace.getSpanContext(context) === undefined
      ? { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: createTraceState(ROOT_TRACE_STATE) }
      : { decision: SamplingDecision.RECORD_AND_SAMPLED },
  toString: () => 'TraceStateSampler',
};

/** Explicit [seconds, nanoseconds] times keep sub-millisecond precision end to end. */
const toHrTime = (ns) => [Number(ns / NS_PER_S), Number(ns % NS_PER_S)];

const kind = process.argv[2] ?? process.env.OTLP_EXPORTER_KIND;
const endpoint = (process.argv[3] ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').replace(/\/+$/, '');
if (!KINDS.includes(kind)) usage(`exporter kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
if (endpoint === '') usage('no endpoint (argument or OTEL_EXPORTER_OTLP_ENDPOINT)');

// Warnings and errors only, and console.warn/error write to stderr: stdout stays one JSON line.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const exporters = await loadExporters(kind, endpoint);
const failures = [];
const runId = `${kind}-${process.pid}-${Date.now()}`;

function service(name) {
  const resource = resourceFromAttributes({
    'service.name': name,
    'service.version': '1.2.3',
    'deployment.environment.name': 'test',
    'tracedock.test.run': runId,
  });
  const tracerProvider = new TracerProvider({
    resource,
    sampler: traceStateSampler,
    spanProcessors: [new BatchSpanProcessor({ exporter: checked(exporters.traces(), `${name} trace`, failures) })],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: checked(exporters.logs(), `${name} log`, failures) })],
  });
  return {
    name,
    tracerProvider,
    loggerProvider,
    tracer: tracerProvider.getTracer(SCOPE.name, SCOPE.version),
    logger: loggerProvider.getLogger(SCOPE.name, SCOPE.version),
  };
}

// Prefixed names: a demo Compose stack running at the same time has services called orders and
// inventory, and the collector may join spans to a container by its Compose service name.
const frontend = service('js-frontend');
const orders = service('js-orders');
const inventory = service('js-inventory');

/** What a service sees after extracting the traceparent and tracestate headers sent by the caller. */
function remoteParent(span) {
  const { traceId, spanId, traceState } = span.spanContext();
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true, traceState });
}

// Offsets from a whole millisecond, with nanosecond parts that a millisecond store would lose.
const baseNs = BigInt(Date.now()) * NS_PER_MS;
const at = (ms, ns) => baseNs + BigInt(ms) * NS_PER_MS + BigInt(ns);
const times = {
  frontend: { start: at(0, 111), end: at(30, 999) },
  orders: { start: at(2, 222), end: at(25, 888) },
  inventory: { start: at(5, 333), end: at(20, 777) },
  ordersEvent: at(10, 444),
  logs: [at(1, 1), at(3, 3), at(15, 5)],
};

const frontendSpan = frontend.tracer.startSpan('GET /checkout', {
  kind: SpanKind.SERVER,
  startTime: toHrTime(times.frontend.start),
  attributes: {
    'http.request.method': 'GET',
    'http.response.status_code': 500,
    'checkout.cart_value': 99.95,
    'checkout.logged_in': true,
    'checkout.skus': ['sku-1', 'sku-2'],
    'checkout.quantities': [1, 2],
    'checkout.weights_kg': [0.5, 1.25],
    'checkout.gift_flags': [true, false],
  },
}, ROOT_CONTEXT);
const frontendCtx = trace.setSpan(ROOT_CONTEXT, frontendSpan);

const ordersSpan = orders.tracer.startSpan('POST /orders', {
  kind: SpanKind.SERVER,
  startTime: toHrTime(times.orders.start),
  attributes: { 'order.id': 'o-1001', 'order.line_count': 2 },
}, remoteParent(frontendSpan));
const ordersCtx = trace.setSpan(ROOT_CONTEXT, ordersSpan);
ordersSpan.addEvent('order.validated', { 'order.valid': true, 'order.line_count': 2 }, toHrTime(times.ordersEvent));

const inventorySpan = inventory.tracer.startSpan('reserve stock', {
  kind: SpanKind.INTERNAL,
  startTime: toHrTime(times.inventory.start),
  attributes: { 'inventory.sku': 'sku-2', 'inventory.available': 0 },
  links: [{ context: LINKED_CONTEXT, attributes: { 'link.reason': 'waits for', 'restock.batch': 7 } }],
}, remoteParent(ordersSpan));
const inventoryCtx = trace.setSpan(ROOT_CONTEXT, inventorySpan);
inventorySpan.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock: sku-2' });
// The error the reservation failed with; the error log carries it (the SDK writes
// exception.type, exception.message and exception.stacktrace from it).
const stockError = new RangeError('out of stock: sku-2 (requested 2, available 0)');

// Each record names its span through `context`; the SDK copies that span's ids into it.
const logs = [
  {
    svc: frontend, ctx: frontendCtx, span: frontendSpan, timeNs: times.logs[0],
    severityNumber: SeverityNumber.INFO, severityText: 'INFO',
    body: `checkout started (${kind})`, attributes: { 'user.id': 'u-42' },
  },
  {
    svc: orders, ctx: ordersCtx, span: ordersSpan, timeNs: times.logs[1],
    severityNumber: SeverityNumber.WARN, severityText: 'WARN',
    body: `order placed with pending stock (${kind})`, attributes: { 'order.id': 'o-1001' },
  },
  {
    svc: inventory, ctx: inventoryCtx, span: inventorySpan, timeNs: times.logs[2],
    severityNumber: SeverityNumber.ERROR, severityText: 'ERROR',
    body: `reservation failed (${kind})`, attributes: { 'inventory.sku': 'sku-2', 'inventory.requested': 2 },
    exception: stockError,
  },
];
for (const l of logs) {
  l.svc.logger.emit({
    timestamp: toHrTime(l.timeNs),
    severityNumber: l.severityNumber,
    severityText: l.severityText,
    body: l.body,
    attributes: l.attributes,
    exception: l.exception,
    context: l.ctx,
  });
}

inventorySpan.end(toHrTime(times.inventory.end));
ordersSpan.end(toHrTime(times.orders.end));
frontendSpan.end(toHrTime(times.frontend.end));

// shutdown() flushes each batch processor; allSettled so that one failure does not skip the rest.
const services = [frontend, orders, inventory];
const shutdowns = await Promise.allSettled(services.flatMap((s) => [s.tracerProvider.shutdown(), s.loggerProvider.shutdown()]));
for (const s of shutdowns) if (s.status === 'rejected') failures.push(`shutdown: ${s.reason}`);
if (failures.length > 0) {
  process.stderr.write(`send-trace: ${failures.join('; ')}\n`);
  process.exit(1);
}

const describe = (span, svc, t, parent) => ({
  spanId: span.spanContext().spanId,
  parentSpanId: parent === null ? null : parent.spanContext().spanId,
  service: svc.name,
  startNs: String(t.start),
  endNs: String(t.end),
});
process.stdout.write(`${JSON.stringify({
  traceId: frontendSpan.spanContext().traceId,
  kind,
  runId,
  spans: {
    frontend: describe(frontendSpan, frontend, times.frontend, null),
    orders: describe(ordersSpan, orders, times.orders, frontendSpan),
    inventory: describe(inventorySpan, inventory, times.inventory, ordersSpan),
  },
  ordersEventTimeNs: String(times.ordersEvent),
  logs: logs.map((l) => ({
    spanId: l.span.spanContext().spanId,
    service: l.svc.name,
    timeNs: String(l.timeNs),
    severityNumber: l.severityNumber,
    severityText: l.severityText,
    body: l.body,
    attributes: l.attributes,
    exception: l.exception === undefined ? null : { type: l.exception.name, message: l.exception.message, stacktrace: l.exception.stack },
  })),
})}\n`);
