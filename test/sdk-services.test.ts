import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spanById, type ApiSpan, type ApiTrace } from './clients/query-api.js';
import { getJson, newTraceparent, runScript, startApp, waitForLogs, waitForTraceWhere, type AppProcess } from './apps/sdk-harness.js';
import { freePort, startCollectorProcess, type CollectorProcess } from './support/collector-process.js';

/**
 * @tracedock/sdk in real services: Express apps in their own processes, one calling the other
 * over HTTP, sending to a real collector process. Proves the two ways in (start() in code, ESM
 * and CommonJS; `node --import @tracedock/sdk/register` with no code change, ESM and CommonJS),
 * W3C propagation into one trace with the right parent/child links, pino lines under the right
 * spans both on stdout and through the query API (with auth and cookie headers redacted), the
 * low-noise span set, and a flushed, bounded exit on SIGTERM/SIGINT.
 */

const REGISTER = ['--import', '@tracedock/sdk/register'];
/** Several processes start per test and the query API is polled; a busy machine needs the room. */
const E2E_TIMEOUT_MILLIS = 180_000;
/** Short delays so a test does not wait the default 1 s per batch. */
const FAST_EXPORT = { OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BLRP_SCHEDULE_DELAY: '200' };

interface CheckoutAnswer {
  service: string;
  traceId: string;
  spanId: string;
  reserved: { service: string; traceId: string; spanId: string } | null;
}

let collector: CollectorProcess | undefined;
let dataDir = '';
const apps: AppProcess[] = [];

function mustCollector(): CollectorProcess {
  if (collector === undefined) throw new Error('the collector did not start');
  return collector;
}

async function app(options: Parameters<typeof startApp>[0]): Promise<AppProcess> {
  const started = await startApp({ ...options, env: { OTEL_EXPORTER_OTLP_ENDPOINT: mustCollector().otlpHttpUrl, ...FAST_EXPORT, ...options.env } });
  apps.push(started);
  return started;
}

const only = (trace: ApiTrace, service: string, kind: string): ApiSpan => {
  const found = trace.spans.filter((s) => s.service === service && s.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} span of ${service}; trace has ${trace.spans.map((s) => `${s.service}:${s.kind}:${s.name}`).join(', ')}`);
  return found[0] as ApiSpan;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracedock-sdk-services-'));
  collector = await startCollectorProcess({ dataDir, startTimeoutMillis: 60_000 });
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop('SIGKILL').catch(() => undefined)));
});

afterAll(async () => {
  await collector?.stop();
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

describe('start() in code: an ESM gateway calls a CommonJS inventory service', { timeout: E2E_TIMEOUT_MILLIS }, () => {
  it('makes one trace across both services with correct links, and their pino logs under the right spans', async () => {
    const { baseUrl } = mustCollector();
    const inventory = await app({ script: 'sdk-service.cjs', args: ['inventory'] });
    const gateway = await app({ script: 'sdk-service.mjs', args: ['gateway'], env: { DOWNSTREAM_URL: inventory.url } });

    const answer = await getJson<CheckoutAnswer>(`${gateway.url}/checkout`);
    expect(answer.reserved?.traceId, 'the trace id crossed the HTTP call (traceparent)').toBe(answer.traceId);
    const trace = await waitForTraceWhere(baseUrl, answer.traceId, (t) => t.spans.length >= 3, 'gateway server + client and inventory server spans');

    const gatewayServer = spanById(trace, answer.spanId);
    const gatewayClient = only(trace, 'gateway', 'CLIENT');
    const inventoryServer = spanById(trace, answer.reserved?.spanId ?? '');
    expect(gatewayServer).toMatchObject({ service: 'gateway', kind: 'SERVER', name: 'GET /checkout', parentSpanId: null });
    expect(gatewayServer.attributes['http.route']).toBe('/checkout');
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    expect(inventoryServer).toMatchObject({ service: 'inventory', kind: 'SERVER', name: 'GET /reserve', parentSpanId: gatewayClient.spanId });
    // Low noise: no span per Express/router layer, no dns/net spans; exactly these three.
    expect(trace.spans).toHaveLength(3);
    for (const span of trace.spans) expect(span.traceId).toBe(answer.traceId);

    expect(gatewayServer.resource).toMatchObject({ 'service.name': 'gateway', 'host.name': hostname(), 'process.pid': gateway.pid });
    expect(inventoryServer.resource).toMatchObject({ 'service.name': 'inventory', 'process.pid': inventory.pid });
    // Not in a container: no container.id rather than a guessed one.
    expect(gatewayServer.resource['container.id']).toBeUndefined();

    const gatewayLogs = await waitForLogs(baseUrl, { traceId: answer.traceId, spanId: gatewayServer.spanId }, 3);
    expect(gatewayLogs.map((l) => l.body).sort()).toEqual(['checkout: done', 'checkout: request headers', 'checkout: reserving stock']);
    const inventoryLogs = await waitForLogs(baseUrl, { traceId: answer.traceId, spanId: inventoryServer.spanId }, 1);
    expect(inventoryLogs).toHaveLength(1);
    expect(inventoryLogs[0]).toMatchObject({ body: 'reserve: stock reserved', service: 'inventory', severityText: 'info', attributes: { sku: 'sku-42' } });
    expect(inventoryLogs[0]?.resource['service.name']).toBe('inventory');

    // Redaction defaults apply to both outputs.
    const headersLog = gatewayLogs.find((l) => l.body === 'checkout: request headers');
    expect(headersLog?.attributes).toEqual({ req: { headers: { authorization: '[Redacted]', cookie: '[Redacted]' } } });
    expect(JSON.stringify(gatewayLogs)).not.toContain('s3cret');
    expect(gateway.output()).not.toContain('s3cret');

    // stdout stays one greppable JSON line per record, with the ids beside the message.
    const done = gateway.jsonLines().find((line) => line.msg === 'checkout: done');
    expect(done).toMatchObject({ trace_id: answer.traceId, span_id: gatewayServer.spanId, trace_flags: '01', level: 30 });
  });
});

describe('HTTP spans of the SDK\'s own instrumentation', { timeout: E2E_TIMEOUT_MILLIS }, () => {
  it('traces a node:http call into one trace with the stable HTTP attributes, and a JSON-body handler inside its server span', async () => {
    const { baseUrl } = mustCollector();
    const inventory = await app({ script: 'sdk-service.cjs', args: ['inventory-http'] });
    const gateway = await app({ script: 'sdk-service.mjs', args: ['gateway-http'], env: { DOWNSTREAM_URL: inventory.url } });

    const answer = await getJson<CheckoutAnswer>(`${gateway.url}/checkout-http`);
    expect(answer.reserved?.traceId).toBe(answer.traceId);
    const trace = await waitForTraceWhere(baseUrl, answer.traceId, (t) => t.spans.length >= 3, 'gateway server + node:http client and inventory server spans');
    expect(trace.spans).toHaveLength(3);
    const gatewayServer = spanById(trace, answer.spanId);
    const client = only(trace, 'gateway-http', 'CLIENT');
    const inventoryServer = spanById(trace, answer.reserved?.spanId ?? '');
    expect(gatewayServer).toMatchObject({ kind: 'SERVER', name: 'GET /checkout-http', parentSpanId: null });
    expect(gatewayServer.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/checkout-http', 'url.path': '/checkout-http', 'http.response.status_code': 200, 'url.scheme': 'http' });
    expect(client).toMatchObject({ name: 'GET', parentSpanId: gatewayServer.spanId });
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${inventory.url}/reserve?sku=sku-http`,
      'server.address': '127.0.0.1',
      'server.port': inventory.port,
      'http.response.status_code': 200,
    });
    expect(inventoryServer).toMatchObject({ name: 'GET /reserve', parentSpanId: client.spanId });
    expect(inventoryServer.attributes).toMatchObject({ 'server.port': inventory.port, 'network.peer.address': '127.0.0.1' });
    const done = await waitForLogs(baseUrl, { traceId: answer.traceId, spanId: gatewayServer.spanId }, 1);
    expect(done.map((l) => l.body)).toEqual(['checkout-http: done']);

    const caller = newTraceparent();
    const response = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', traceparent: caller.header }, body: JSON.stringify({ sku: 'sku-9' }) });
    expect(response.status).toBe(201);
    const order = (await response.json()) as { traceId: string; spanId: string };
    expect(order.traceId).toBe(caller.traceId);
    const orderTrace = await waitForTraceWhere(baseUrl, caller.traceId, (t) => t.spans.length >= 1, 'the POST /orders server span');
    expect(spanById(orderTrace, order.spanId)).toMatchObject({ name: 'POST /orders', parentSpanId: caller.parentSpanId });
    const orderLogs = await waitForLogs(baseUrl, { traceId: caller.traceId, spanId: order.spanId }, 1);
    expect(orderLogs[0]).toMatchObject({ body: 'orders: created', attributes: { sku: 'sku-9' } });
  });
});

describe('zero code: node --import @tracedock/sdk/register', { timeout: E2E_TIMEOUT_MILLIS }, () => {
  it('traces an ESM app calling a CommonJS app, each with its own pino logger, into one trace', async () => {
    const { baseUrl } = mustCollector();
    const inventory = await app({ script: 'sdk-plain.cjs', nodeArgs: REGISTER, env: { OTEL_SERVICE_NAME: 'inventory-cjs' } });
    const gateway = await app({ script: 'sdk-plain.mjs', nodeArgs: REGISTER, env: { OTEL_SERVICE_NAME: 'gateway-esm', DOWNSTREAM_URL: inventory.url } });

    // The test plays the caller: its traceparent makes the trace id known up front.
    const caller = newTraceparent();
    expect(await getJson(`${gateway.url}/checkout`, { traceparent: caller.header })).toEqual({ ok: true, reserved: { ok: true } });
    const trace = await waitForTraceWhere(baseUrl, caller.traceId, (t) => t.spans.length >= 3, 'the three spans of both apps');

    const gatewayServer = only(trace, 'gateway-esm', 'SERVER');
    const gatewayClient = only(trace, 'gateway-esm', 'CLIENT');
    const inventoryServer = only(trace, 'inventory-cjs', 'SERVER');
    expect(gatewayServer).toMatchObject({ name: 'GET /checkout', parentSpanId: caller.parentSpanId });
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    expect(inventoryServer).toMatchObject({ name: 'GET /reserve', parentSpanId: gatewayClient.spanId });
    expect(trace.spans).toHaveLength(3);

    const gatewayLogs = await waitForLogs(baseUrl, { traceId: caller.traceId, spanId: gatewayServer.spanId }, 2);
    expect(gatewayLogs.map((l) => l.body).sort()).toEqual(['checkout: done', 'checkout: started']);
    const inventoryLogs = await waitForLogs(baseUrl, { traceId: caller.traceId, spanId: inventoryServer.spanId }, 1);
    expect(inventoryLogs.map((l) => l.body)).toEqual(['reserve: stock reserved']);

    // The apps' own pino instances write the ids too (the instrumentation, not a wrapper).
    expect(gateway.jsonLines().find((l) => l.msg === 'checkout: done')).toMatchObject({ trace_id: caller.traceId, span_id: gatewayServer.spanId });
    expect(inventory.jsonLines().find((l) => l.msg === 'reserve: stock reserved')).toMatchObject({ trace_id: caller.traceId, span_id: inventoryServer.spanId });
  });
});

describe('graceful shutdown', { timeout: E2E_TIMEOUT_MILLIS }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s flushes what was queued, then the process ends by the signal as it would without the SDK', async (signal) => {
    const { baseUrl } = mustCollector();
    // A minute's batch delay: nothing would be exported before the signal unless shutdown flushes it.
    const service = await app({ script: 'sdk-service.mjs', args: [`flush-${signal}`], env: { OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_BLRP_SCHEDULE_DELAY: '60000' } });
    const answer = await getJson<CheckoutAnswer>(`${service.url}/checkout`);
    const exit = await service.stop(signal);
    expect(exit).toMatchObject({ code: null, signal });
    const trace = await waitForTraceWhere(baseUrl, answer.traceId, (t) => t.spans.some((s) => s.spanId === answer.spanId), 'the span queued before the signal');
    expect(trace.spans[0]?.service).toBe(`flush-${signal}`);
    expect(await waitForLogs(baseUrl, { traceId: answer.traceId }, 2)).toHaveLength(2);
  });

  it('ends within shutdownTimeoutMillis when the collector is unreachable', async () => {
    const shutdownTimeoutMillis = 2_000;
    const service = await app({
      script: 'sdk-service.mjs',
      args: ['unreachable'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`, TRACEDOCK_SHUTDOWN_TIMEOUT_MILLIS: String(shutdownTimeoutMillis) },
    });
    for (let i = 0; i < 5; i += 1) await getJson(`${service.url}/checkout`);
    const exit = await service.stop('SIGTERM');
    expect(exit.signal).toBe('SIGTERM');
    // The bound plus process teardown; without the bound the OTLP exporter would retry for 10 s per batch.
    expect(exit.millis).toBeLessThan(shutdownTimeoutMillis + 2_500);
  });

  it('flushes at the natural end of a short job (beforeExit), well before the batch delay', async () => {
    const { baseUrl, otlpHttpUrl } = mustCollector();
    const job = await runScript('sdk-job.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl });
    expect(job.code, job.output).toBe(0);
    const ids = JSON.parse(job.stdout.split('\n').find((line) => line.includes('"traceId"')) ?? '{}') as { traceId: string; spanId: string };
    const trace = await waitForTraceWhere(baseUrl, ids.traceId, (t) => t.spans.length === 1, 'the job span');
    expect(trace.spans[0]).toMatchObject({ service: 'nightly-job', name: 'reindex', spanId: ids.spanId });
    expect((await waitForLogs(baseUrl, { traceId: ids.traceId, spanId: ids.spanId }, 1)).map((l) => l.body)).toEqual(['job: reindexed']);
  });

  it('shutdown() is safe to call twice (and at once): same promise, no error', async () => {
    const service = await app({ script: 'sdk-service.mjs', args: ['twice'] });
    await getJson(`${service.url}/checkout`);
    const answer = await getJson<{ samePromise: boolean; stats: { spans: { exported: number; queued: number } } }>(`${service.url}/shutdown`);
    expect(answer.samePromise).toBe(true);
    expect(answer.stats.spans.queued).toBe(0);
    expect(answer.stats.spans.exported).toBeGreaterThanOrEqual(1);
    // The app keeps serving after its telemetry stopped.
    expect(await (await fetch(`${service.url}/hello`)).text()).toBe('hello');
  });
});
