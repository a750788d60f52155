import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMetricsRequest, type DecodedMetric } from '../packages/sdk/test/support/otlp-metrics-decode.ts';
import { getJson, startApp, type AppProcess } from './apps/sdk-harness.js';
import { freePort } from './support/collector-process.js';
import { ContainerSet, docker, dockerAvailable, ensureTestImages, NODE_IMAGE } from './support/docker.js';
import { repoRoot } from './support/env.js';

/**
 * @tracedock/sdk's metrics end to end: a real service process (test/apps/sdk-service.mjs, the SDK
 * started in code) sends OTLP/HTTP protobuf to /v1/metrics on its own, and what it sends is decoded
 * with protobufjs from opentelemetry-proto's definitions (not with the collector's decoder): the
 * Node runtime metrics and the process's CPU and memory, with the service's resource; only those;
 * nothing with OTEL_METRICS_EXPORTER=none; a last export at shutdown, within the shutdown bound;
 * and, inside a real container, the container's real id on every metric.
 *
 * The sink is a plain HTTP server in this test, because the collector does not store metrics yet.
 * Once it does, a test should read these metrics back through its API (GET /api/metrics,
 * /api/metrics/series) from a real collector process as test/sdk-services.test.ts does for spans.
 */

const hasDocker = await dockerAvailable();
const ARRIVAL_TIMEOUT_MILLIS = 30_000;
const POLL_INTERVAL_MILLIS = 100;
/** A container id given by the environment, as Compose users may: detection is tested in sdk-container*.test.ts. */
const CONTAINER_ID = 'c0ffee'.repeat(10) + 'beef';

interface Received {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

interface Sink {
  url: string;
  received: Received[];
  metrics(): DecodedMetric[][];
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver that keeps every request; `hangMetrics` leaves /v1/metrics unanswered (a stuck collector). */
async function startSink(options: { hangMetrics?: boolean } = {}): Promise<Sink> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      if (path.startsWith('/reserve')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      if (options.hangMetrics === true && path === '/v1/metrics') return;
      // An empty Export*ServiceResponse: full success.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    metrics: () => received.filter((r) => r.path === '/v1/metrics').map((r) => decodeMetricsRequest(r.body)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined, describe: () => string): Promise<T> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MILLIS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`${what} did not arrive within ${ARRIVAL_TIMEOUT_MILLIS} ms; got: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
}

const RUNTIME_SCOPE = '@opentelemetry/instrumentation-runtime-node';
const PROCESS_SCOPE = '@tracedock/sdk/instrumentation-process';
const DELAY_GAUGES = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((s) => `nodejs.eventloop.delay.${s}`);
const WANTED = [...DELAY_GAUGES, 'nodejs.eventloop.utilization', 'v8js.memory.heap.used', 'v8js.gc.duration', 'process.cpu.utilization', 'process.cpu.time', 'process.memory.usage'];

const names = (requests: DecodedMetric[][]): string[] => [...new Set(requests.flat().filter((m) => m.points.length > 0).map((m) => m.name))].sort();

describe('SDK metrics over OTLP', () => {
  const apps: AppProcess[] = [];
  const sinks: Sink[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop('SIGKILL').catch(() => undefined)));
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });

  async function run(env: Record<string, string>, sinkOptions: { hangMetrics?: boolean } = {}): Promise<{ app: AppProcess; sink: Sink }> {
    const sink = await startSink(sinkOptions);
    sinks.push(sink);
    const app = await startApp({
      script: 'sdk-service.mjs',
      args: ['metered'],
      // --expose-gc: GET /memory runs a full GC, so that v8js.gc.duration has a point for sure.
      nodeArgs: ['--expose-gc'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, DOWNSTREAM_URL: sink.url, OTEL_BSP_SCHEDULE_DELAY: '200', ...env },
    });
    apps.push(app);
    return { app, sink };
  }

  it('sends the runtime and process metrics with the service resource, cumulative, and only those', async () => {
    const { app, sink } = await run({ OTEL_METRIC_EXPORT_INTERVAL: '500', OTEL_RESOURCE_ATTRIBUTES: `container.id=${CONTAINER_ID},deployment.environment.name=test` });
    // A fetch through the undici instrumentation: it would record http.client.request.duration if its metrics were not silenced.
    await getJson(`${app.url}/checkout`);
    await getJson(`${app.url}/memory`);
    const requests = await waitFor('every runtime metric', () => (WANTED.every((n) => names(sink.metrics()).includes(n)) ? sink.metrics() : undefined), () => names(sink.metrics()).join(', '));
    const all = requests.flat();
    const byName = (name: string): DecodedMetric[] => all.filter((m) => m.name === name && m.points.length > 0);

    expect(sink.received.filter((r) => r.path === '/v1/metrics').every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
    const resource = await getJson<Record<string, unknown>>(`${app.url}/resource`);
    expect(resource).toMatchObject({ 'service.name': 'metered', 'container.id': CONTAINER_ID, 'process.pid': app.pid });
    for (const metric of all) expect(metric.resource, metric.name).toMatchObject(resource);
    expect(new Set(all.map((m) => m.scope))).toEqual(new Set([RUNTIME_SCOPE, PROCESS_SCOPE]));

    for (const name of DELAY_GAUGES) {
      const [metric] = byName(name);
      expect(metric, name).toMatchObject({ type: 'gauge', unit: 's', scope: RUNTIME_SCOPE });
      // The histogram's samples are whole sampling intervals (20 ms): an idle loop reads ~0.02 s.
      expect(metric?.points[0]?.value, name).toBeGreaterThan(0);
      expect(metric?.points[0]?.value, name).toBeLessThan(10);
    }
    // ~0.02 s, not runtime-node's default ~0.01 s: the SDK's monitoringPrecision is in effect.
    expect(byName('nodejs.eventloop.delay.p50')[0]?.points[0]?.value).toBeGreaterThan(0.015);
    const heap = byName('v8js.memory.heap.used')[0];
    expect(heap).toMatchObject({ type: 'gauge', unit: 'By' });
    expect(heap?.points.map((p) => p.attributes['v8js.heap.space.name'])).toContain('old_space');
    const gc = byName('v8js.gc.duration').at(-1);
    expect(gc).toMatchObject({ type: 'histogram', unit: 's', temporality: 'cumulative' });
    expect(gc?.points.some((p) => p.attributes['v8js.gc.type'] === 'major' && (p.count ?? 0) >= 1)).toBe(true);

    const cpu = byName('process.cpu.utilization').at(-1);
    expect(cpu).toMatchObject({ type: 'gauge', unit: '1', scope: PROCESS_SCOPE });
    expect(cpu?.points.map((p) => p.attributes['cpu.mode']).sort()).toEqual(['system', 'user']);
    for (const point of cpu?.points ?? []) expect(point.value).toBeGreaterThanOrEqual(0);
    for (const point of cpu?.points ?? []) expect(point.value).toBeLessThanOrEqual(1);
    expect(byName('process.cpu.time').at(-1)).toMatchObject({ type: 'sum', unit: 's', temporality: 'cumulative', isMonotonic: true });
    const rss = byName('process.memory.usage').at(-1);
    expect(rss).toMatchObject({ type: 'sum', unit: 'By', isMonotonic: false });
    expect(rss?.points[0]?.value).toBeGreaterThan(10 * 1024 * 1024);
    expect(all.some((m) => m.name.startsWith('http.'))).toBe(false);

    // stats().metrics counts collections: every one this sink answered is counted as exported.
    const stats = await getJson<{ metrics: { accepted: number; exported: number; droppedExportFailed: number; inFlight: number } }>(`${app.url}/stats`);
    expect(stats.metrics.exported).toBeGreaterThanOrEqual(requests.length);
    expect(stats.metrics.droppedExportFailed).toBe(0);
    expect(stats.metrics.accepted).toBe(stats.metrics.exported + stats.metrics.inFlight);
  });

  it('sends no metrics with OTEL_METRICS_EXPORTER=none, while traces still go out', async () => {
    const { app, sink } = await run({ OTEL_METRICS_EXPORTER: 'none', OTEL_METRIC_EXPORT_INTERVAL: '200' });
    await getJson(`${app.url}/checkout`);
    await waitFor('a trace export', () => sink.received.find((r) => r.path === '/v1/traces'), () => sink.received.map((r) => r.path).join(', '));
    // Several export intervals' worth of time for the app (5 x 200 ms), then the shutdown
    // flush: this asserts that nothing is sent, so there is no arrival to wait on instead.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stopped = await app.stop('SIGTERM');
    expect(stopped.signal).toBe('SIGTERM');
    expect(sink.received.filter((r) => r.path === '/v1/metrics')).toEqual([]);
    expect(app.output()).not.toContain('metrics: export failed');
  });

  it('sends the last metrics at shutdown, before the next interval', async () => {
    const { app, sink } = await run({ OTEL_METRIC_EXPORT_INTERVAL: '600000' });
    await getJson(`${app.url}/resource`);
    expect(sink.metrics()).toEqual([]);
    const stopped = await app.stop('SIGTERM');
    expect(stopped.signal).toBe('SIGTERM');
    const last = sink.metrics();
    expect(last).toHaveLength(1);
    expect(names(last)).toEqual(expect.arrayContaining(['nodejs.eventloop.utilization', 'v8js.memory.heap.used', 'process.cpu.utilization', 'process.memory.usage']));
  });

  it('keeps the shutdown bound when the collector holds the metrics request', async () => {
    const { app, sink } = await run({ OTEL_METRIC_EXPORT_INTERVAL: '600000', TRACEDOCK_SHUTDOWN_TIMEOUT_MILLIS: '1000' }, { hangMetrics: true });
    await getJson(`${app.url}/resource`);
    const stopped = await app.stop('SIGTERM');
    expect(stopped.signal).toBe('SIGTERM');
    // The bound, plus the time a process takes to end on a busy machine.
    expect(stopped.millis).toBeLessThan(4_000);
    expect(sink.received.some((r) => r.path === '/v1/metrics')).toBe(true);
    expect(app.output()).toContain('shutdown stopped flushing after 1000 ms');
    expect(app.output()).toContain('the last metrics export had not finished');
  });
});

describe.skipIf(!hasDocker)('SDK metrics from inside a container (real engine)', () => {
  const containers = new ContainerSet();
  let sink: Sink | undefined;
  afterEach(async () => {
    await containers.removeAll();
    await sink?.close();
  });

  it('puts the real container id on the metrics (compared with docker inspect)', { timeout: 180_000 }, async () => {
    await ensureTestImages();
    sink = await startSink();
    const current = sink;
    const id = await containers.run([
      '-v', `${repoRoot}:${repoRoot}:ro`, '-w', repoRoot,
      '-e', `PORT=${await freePort()}`,
      '-e', `OTEL_EXPORTER_OTLP_ENDPOINT=${current.url}`,
      '-e', 'OTEL_METRIC_EXPORT_INTERVAL=500',
      NODE_IMAGE, 'node', 'test/apps/sdk-service.mjs', 'metered-in-container',
    ]);
    const inspected = (await docker(['inspect', '--format', '{{.Id}}', id])).trim();
    expect(inspected).toMatch(/^[0-9a-f]{64}$/);
    const first = await waitFor(
      'a metrics export from the container',
      () => current.metrics().find((request) => names([request]).includes('process.cpu.utilization')),
      () => `${current.metrics().length} metrics requests so far from container ${id}`,
    );
    for (const metric of first) expect(metric.resource, metric.name).toMatchObject({ 'container.id': inspected, 'service.name': 'metered-in-container' });
  });
});
