/**
 * Acceptance (issue 4, resource suspects), on the real engine with the real SDK and the real
 * collector: an Express service (test/apps/suspects-express) instrumented by @tracedock/sdk
 * runs in a container with `--cpus 0.2` and serves a request that needs 100 ms of CPU while a
 * neighbour container burns every core. /api/traces/:id must list the container with its
 * metadata, its samples must cover the trace window, and /api/traces/:id/suspects must name
 * cpu_throttled with evidence for the slow span. The same request in a container without a
 * limit and without the neighbour is still checked (the slow threshold is set to 50 ms) and
 * must name nothing. Both containers get a high CPU weight so that load outside the test (other
 * suites, other processes on the machine) does not starve them below the 0.2-core quota; the
 * quiet request is asserted on once the host's own PSI shows no CPU pressure around it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrace, type ApiSpan } from './clients/query-api.js';
import { array, number, object, string, stringOrNull } from './clients/shape.js';
import { freePort, startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { BUSYBOX_IMAGE, ContainerSet, NODE_IMAGE, docker, dockerAvailable, ensureTestImages } from './support/docker.js';
import { repoRoot } from './support/env.js';

const SLOW_SPAN_MILLIS = 50;
const WORK_CPU_MILLIS = 100;
const SERVICE = 'suspects-express';
/** Node loading the SDK's instrumentations on 0.2 of a core takes a while. */
const SERVICE_START_MILLIS = 60_000;
const ARRIVAL_MILLIS = 20_000;
const FETCH_TIMEOUT_MILLIS = 15_000;
const NEIGHBOUR_START_MILLIS = 20_000;
/** The burner's shell and its four loops. */
const NEIGHBOUR_PROCESSES = 5;
const POLL_MILLIS = 200;
const NS_PER_MS = 1_000_000n;
const SUITE_LABEL = 'tracedock.test.suite=docker-suspects';
/** docker's default weight is 1024: this one wins the CPU against anything else but its own limit. */
const CPU_WEIGHT = ['--cpu-shares', '8192'];
/** The host counts as quiet while its tasks waited for CPU less than this share of the time. */
const QUIET_HOST_STALL_SHARE = 0.1;
const QUIET_ATTEMPTS = 8;
const SAMPLE_MARGIN_MILLIS = 1_200;

const ready = await dockerAvailable();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it gives a value; fails naming `what` and the last state it described. */
async function poll<T>(what: string, timeoutMillis: number, probe: () => Promise<{ value?: T; state: string }>): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  let state = 'not asked yet';
  while (Date.now() < deadline) {
    const result = await probe().catch((error: unknown) => ({ value: undefined, state: String(error) }));
    if (result.value !== undefined) return result.value;
    state = result.state;
    await sleep(POLL_MILLIS);
  }
  throw new Error(`${what} did not happen within ${timeoutMillis} ms; last: ${state}`);
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

interface Suspect {
  spanId: string;
  containerId: string;
  kind: string;
  message: string;
  evidence: Record<string, unknown>;
}

function parseSuspects(body: unknown): Suspect[] {
  return array(object(body, 'answer').suspects, 'suspects').map((v, i) => {
    const o = object(v, `suspects[${i}]`);
    return {
      spanId: string(o.spanId, `suspects[${i}].spanId`),
      containerId: string(o.containerId, `suspects[${i}].containerId`),
      kind: string(o.kind, `suspects[${i}].kind`),
      message: string(o.message, `suspects[${i}].message`),
      evidence: object(o.evidence, `suspects[${i}].evidence`),
    };
  });
}

/** The host's CPU "some" stall time so far (PSI, /proc/pressure/cpu), in ms; null where the kernel has no PSI. */
async function hostCpuStallMs(): Promise<number | null> {
  const text = await readFile('/proc/pressure/cpu', 'utf8').catch(() => null);
  const total = text?.match(/^some .*total=(\d+)/m)?.[1];
  return total === undefined ? null : Number(total) / 1000;
}

describe.runIf(ready)('resource suspects on the real Docker engine', () => {
  const containers = new ContainerSet();
  const suffix = randomBytes(3).toString('hex');
  let collector: CollectorProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    await ensureTestImages();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-suspects-'));
    collector = await startCollectorProcess({
      dataDir,
      env: { TRACEDOCK_SUSPECTS_SLOW_SPAN_MS: String(SLOW_SPAN_MILLIS), TRACEDOCK_CONTAINER_LOGS: 'off' },
    });
  });

  afterAll(async () => {
    await containers.removeAll();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  function api(): string {
    if (collector === undefined) throw new Error('the collector did not start');
    return collector.baseUrl;
  }

  /** The Express service in a container, instrumented by the SDK from the repo mounted read-only. */
  async function startService(name: string, limits: readonly string[]): Promise<{ id: string; port: number }> {
    const port = await freePort();
    const id = await containers.run([
      '--name', name, '--label', SUITE_LABEL, ...limits,
      '-v', `${repoRoot}:/repo:ro`, '-w', '/repo/test/apps/suspects-express',
      '-e', `PORT=${port}`, '-e', `OTEL_SERVICE_NAME=${SERVICE}`,
      '-e', `OTEL_EXPORTER_OTLP_ENDPOINT=${collector?.otlpHttpUrl ?? ''}`, '-e', 'OTEL_BSP_SCHEDULE_DELAY=200',
      NODE_IMAGE, 'node', '--import', '@tracedock/sdk/register', 'server.mjs',
    ]);
    await poll(`${name} answering on 127.0.0.1:${port}`, SERVICE_START_MILLIS, async () => {
      const health = await getJson(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (health?.status === 200) return { value: true, state: 'up' };
      const logs = await docker(['logs', '--tail', '20', id]).catch((e: unknown) => String(e));
      return { state: `not answering; container output: ${logs}` };
    });
    return { id, port };
  }

  /** One request to /work in a trace of our own (its parent span id is ours, not stored). */
  async function requestWork(port: number): Promise<{ traceId: string; parentSpanId: string }> {
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`http://127.0.0.1:${port}/work?cpuMs=${WORK_CPU_MILLIS}`, {
      headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS),
    });
    expect(response.status).toBe(200);
    await response.text();
    return { traceId, parentSpanId };
  }

  /** The trace's server span once it is stored with its container, and the trace's containers. */
  async function serverSpanOf(traceId: string, parentSpanId: string): Promise<{ span: ApiSpan; containers: unknown[] }> {
    return poll(`the server span of trace ${traceId} with a containerId`, ARRIVAL_MILLIS, async () => {
      const { status, body } = await getJson(`${api()}/api/traces/${traceId}`);
      if (status === 404) return { state: 'trace not stored (is the SDK exporting to the collector?)' };
      const trace = parseTrace(body);
      const span = trace.spans.find((s) => s.parentSpanId === parentSpanId && s.kind === 'SERVER');
      if (span === undefined) return { state: `no SERVER span under ${parentSpanId}: ${trace.spans.map((s) => s.name).join(', ')}` };
      if (span.containerId === null) {
        return { state: `containerId is null (correlation); resource: ${JSON.stringify(span.resource)}` };
      }
      return { value: { span, containers: array(object(body, 'trace').containers, 'trace.containers') }, state: 'ok' };
    });
  }

  /** Samples of the container from before the span's start to after its end. */
  async function coveringSamples(containerId: string, span: ApiSpan): Promise<{ t: number; cpuThrottledMs: number | null }[]> {
    const startMs = Number(BigInt(span.startNs) / NS_PER_MS);
    const endMs = Number(BigInt(span.endNs) / NS_PER_MS);
    return poll(`samples of ${containerId.slice(0, 12)} covering ${startMs}..${endMs}`, ARRIVAL_MILLIS, async () => {
      const { body } = await getJson(`${api()}/api/containers/${containerId}/samples?start=${startMs - 5000}&end=${endMs + 5000}`);
      const samples = array(object(body, 'answer').samples, 'samples').map((v, i) => {
        const o = object(v, `samples[${i}]`);
        const throttled = o.cpuThrottledMs;
        return { t: number(o.t, `samples[${i}].t`), cpuThrottledMs: throttled === null ? null : number(throttled, `samples[${i}].cpuThrottledMs`) };
      });
      const covered = samples.some((s) => s.t <= startMs) && samples.some((s) => s.t >= endMs);
      return covered ? { value: samples, state: 'ok' } : { state: `sample times ${samples.map((s) => s.t).join(', ') || 'none'}` };
    });
  }

  /**
   * A request to the quiet service during which the host itself had no CPU pressure (this
   * machine may be busy with other work); its span once stored, with samples around it.
   */
  async function quietRequest(service: { id: string; port: number }): Promise<{ traceId: string; span: ApiSpan }> {
    const stalls: string[] = [];
    for (let attempt = 1; attempt <= QUIET_ATTEMPTS; attempt++) {
      // These two pauses are the measurement window, not a wait for work: the host's PSI is
      // read over a margin on each side of the request (so its share covers the request, not
      // just the instant), and the margin puts a 1 s sample before and after the span.
      await sleep(SAMPLE_MARGIN_MILLIS);
      const before = { stallMs: await hostCpuStallMs(), atMs: performance.now() };
      const { traceId, parentSpanId } = await requestWork(service.port);
      await sleep(SAMPLE_MARGIN_MILLIS);
      const after = { stallMs: await hostCpuStallMs(), atMs: performance.now() };
      const { span } = await serverSpanOf(traceId, parentSpanId);
      expect(span.containerId).toBe(service.id);
      await coveringSamples(service.id, span);
      if (before.stallMs === null || after.stallMs === null) return { traceId, span };
      const share = (after.stallMs - before.stallMs) / (after.atMs - before.atMs);
      if (share < QUIET_HOST_STALL_SHARE) return { traceId, span };
      stalls.push(`${Math.round(share * 100)}%`);
    }
    throw new Error(`the host was never free of CPU pressure around a request (PSI some: ${stalls.join(', ')} of the time)`);
  }

  async function suspectsOf(traceId: string): Promise<Suspect[]> {
    const { status, body } = await getJson(`${api()}/api/traces/${traceId}/suspects`);
    expect(status).toBe(200);
    return parseSuspects(body);
  }

  it('names CPU throttling for the slow span under a CPU limit with a busy neighbour, and nothing without them', async () => {
    // --- with CPU pressure: 0.2 cores, and a neighbour looping on every core ---
    const limited = await startService(`td-suspects-limited-${suffix}`, ['--cpus', '0.2', ...CPU_WEIGHT]);
    await requestWork(limited.port); // warm-up: the first request compiles the route
    const burner = await containers.run([
      '--name', `td-suspects-burner-${suffix}`, '--label', SUITE_LABEL, BUSYBOX_IMAGE,
      'sh', '-c', 'for i in 1 2 3 4; do (while :; do :; done) & done; wait',
    ]);
    // Its four loops running: from then on they compete for every core.
    await poll('the neighbour\'s four busy loops', NEIGHBOUR_START_MILLIS, async () => {
      const processes = (await docker(['top', burner])).trim().split('\n').length - 1;
      return processes >= NEIGHBOUR_PROCESSES ? { value: true, state: 'ok' } : { state: `${processes} processes` };
    });
    const busy = await requestWork(limited.port);
    const { span, containers: traceContainers } = await serverSpanOf(busy.traceId, busy.parentSpanId);
    expect(span.containerId).toBe(limited.id);
    expect(span.durationMs).toBeGreaterThan(SLOW_SPAN_MILLIS);
    const container = traceContainers.map((c, i) => object(c, `containers[${i}]`)).find((c) => c.id === limited.id);
    expect(container, `containers of trace ${busy.traceId}: ${JSON.stringify(traceContainers)}`).toBeDefined();
    expect(container).toMatchObject({ name: `td-suspects-limited-${suffix}`, image: NODE_IMAGE, cpuLimit: 0.2 });
    expect(stringOrNull(container?.startedAt, 'container.startedAt')).not.toBeNull();
    const samples = await coveringSamples(limited.id, span);
    expect(samples.some((s) => s.cpuThrottledMs !== null)).toBe(true);

    const busySuspects = await suspectsOf(busy.traceId);
    const throttled = busySuspects.find((s) => s.kind === 'cpu_throttled');
    const noneHint = busySuspects.length === 0 ? ' (none at all: is createSuspectsFinder wired into the API in collector.ts?)' : '';
    expect(throttled, `suspects${noneHint}: ${JSON.stringify(busySuspects, null, 2)}`).toBeDefined();
    expect(throttled).toMatchObject({ spanId: span.spanId, containerId: limited.id });
    expect(throttled?.message).toContain('CPU-throttled');
    const evidence = throttled?.evidence ?? {};
    expect(number(evidence.throttledMs, 'evidence.throttledMs')).toBeGreaterThan(0);
    const window = object(evidence.window, 'evidence.window');
    expect(BigInt(string(window.startNs, 'window.startNs'))).toBeLessThanOrEqual(BigInt(span.startNs));
    expect(BigInt(string(window.endNs, 'window.endNs'))).toBeGreaterThanOrEqual(BigInt(span.endNs));
    expect(array(evidence.samples, 'evidence.samples').length).toBeGreaterThanOrEqual(2);
    console.info(`suspects under CPU pressure:\n${busySuspects.map((s) => `  ${s.kind}: ${s.message}`).join('\n')}`);

    // --- without CPU pressure: no limit, no neighbour; the span is still slower than the threshold ---
    await docker(['rm', '-f', burner, limited.id]);
    const free = await startService(`td-suspects-free-${suffix}`, CPU_WEIGHT);
    await requestWork(free.port);
    const quiet = await quietRequest(free);
    expect(quiet.span.durationMs, 'the quiet span must still be checked (slower than the threshold)').toBeGreaterThan(SLOW_SPAN_MILLIS);
    const quietSuspects = await suspectsOf(quiet.traceId);
    expect(quietSuspects, `suspects without CPU pressure: ${JSON.stringify(quietSuspects, null, 2)}`).toEqual([]);
  }, 240_000);
});
