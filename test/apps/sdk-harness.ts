/**
 * Runs the SDK test apps (test/apps/sdk-*.mjs|cjs) as child processes for the SDK's end-to-end
 * tests, and polls the collector's query API for what they sent. An app prints one JSON line
 * `{"listening": port}` when it serves; everything else it writes is kept for assertions (its pino
 * lines) and for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseLogs, parseTrace, type ApiLog, type ApiTrace } from '../clients/query-api.js';
import { freePort } from '../support/collector-process.js';
import { docker, NODE_IMAGE, type ContainerSet } from '../support/docker.js';
import { repoRoot } from '../support/env.js';

const START_TIMEOUT_MILLIS = 60_000;
const STOP_TIMEOUT_MILLIS = 30_000;
const POLL_INTERVAL_MILLIS = 200;
const FETCH_TIMEOUT_MILLIS = 30_000;
export const ARRIVAL_TIMEOUT_MILLIS = 60_000;

export const APPS_DIR = join(repoRoot, 'test', 'apps');

export interface AppOptions {
  /** File name under test/apps. */
  script: string;
  args?: string[];
  /** Node flags before the script, e.g. ['--import', '@tracedock/sdk/register']. */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

export interface AppProcess {
  port: number;
  url: string;
  pid: number;
  /** stdout and stderr so far. */
  output(): string;
  /** The JSON lines of stdout (pino's), parsed. */
  jsonLines(): Array<Record<string, unknown>>;
  /** Sends `signal` and resolves with { code, signal, millis } once the process exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; millis: number }>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** The test runner's own OTEL_* and TRACEDOCK_* settings must not leak into the apps. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_') && !name.startsWith('TRACEDOCK_')));
  return { ...inherited, ...extra };
}

export async function startApp(options: AppOptions): Promise<AppProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(APPS_DIR, options.script), ...(options.args ?? [])], {
    cwd: repoRoot,
    env: cleanEnv({ PORT: '0', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let all = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    all += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    all += text;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  const label = `${options.nodeArgs?.join(' ') ?? ''} ${options.script} ${options.args?.join(' ') ?? ''}`.trim();
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not listen within ${START_TIMEOUT_MILLIS} ms. Output:\n${all}`)), START_TIMEOUT_MILLIS);
    const check = (): void => {
      const match = /^\{"listening":(\d+)\}$/m.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited during start-up (code ${code}, signal ${signal}). Output:\n${all}`));
    });
  });
  if (child.pid === undefined) throw new Error(`${label} has no pid`);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    output: () => all,
    jsonLines: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: async (signal = 'SIGTERM') => {
      const startedAt = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MILLIS);
      });
      try {
        const result = await Promise.race([exited, timedOut]);
        if (result === 'timeout') {
          child.kill('SIGKILL');
          throw new Error(`${label} did not exit within ${STOP_TIMEOUT_MILLIS} ms of ${signal}. Output:\n${all}`);
        }
        return { ...result, millis: Date.now() - startedAt };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a script that ends by itself; resolves with its exit code and output, or fails after `timeoutMillis`. */
export function runScript(script: string, env: Record<string, string>, timeoutMillis = START_TIMEOUT_MILLIS): Promise<{ code: number | null; stdout: string; output: string }> {
  const child = spawn(process.execPath, [join(APPS_DIR, script)], { cwd: repoRoot, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    output += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    output += text;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not end within ${timeoutMillis} ms. Output:\n${output}`));
    }, timeoutMillis);
    child.once('exit', (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, stdout, output });
    });
  });
}

/** GET `url` and parse JSON; fails with the status and body otherwise. */
export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Polls GET /api/traces/:id until `ready(trace)` holds; fails naming what the trace had. */
export async function waitForTraceWhere(baseUrl: string, traceId: string, ready: (trace: ApiTrace) => boolean, what: string, timeoutMillis = ARRIVAL_TIMEOUT_MILLIS): Promise<ApiTrace> {
  const deadline = Date.now() + timeoutMillis;
  let last = 'no answer yet';
  for (;;) {
    const response = await fetch(`${baseUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
    const text = await response.text();
    if (response.status === 200) {
      const trace = parseTrace(JSON.parse(text));
      if (ready(trace)) return trace;
      last = trace.spans.map((s) => `${s.service}:${s.name}`).join(', ');
    } else if (response.status !== 404) {
      throw new Error(`GET /api/traces/${traceId}: HTTP ${response.status} ${text.slice(0, 500)}`);
    }
    if (Date.now() >= deadline) throw new Error(`trace ${traceId}: ${what} did not arrive within ${timeoutMillis} ms; it has: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
}

/** Polls GET /api/logs?<query> until at least `count` records match; returns them all. */
export async function waitForLogs(baseUrl: string, query: Readonly<Record<string, string>>, count: number, timeoutMillis = ARRIVAL_TIMEOUT_MILLIS): Promise<ApiLog[]> {
  const url = `${baseUrl}/api/logs?${new URLSearchParams(query).toString()}`;
  const deadline = Date.now() + timeoutMillis;
  let logs: ApiLog[] = [];
  for (;;) {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
    logs = parseLogs(JSON.parse(text));
    if (logs.length >= count) return logs;
    if (Date.now() >= deadline) throw new Error(`GET ${url}: expected ${count} log records within ${timeoutMillis} ms, got ${JSON.stringify(logs.map((l) => l.body))}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
}

/** A fresh W3C traceparent for a request the test itself starts (so a trace id is known up front). */
export function newTraceparent(): { traceId: string; parentSpanId: string; header: string } {
  const hex = (bytes: number): string => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
  const traceId = hex(16);
  const parentSpanId = hex(8);
  return { traceId, parentSpanId, header: `00-${traceId}-${parentSpanId}-01` };
}

/** Waits until `url` answers 2xx (an app started in a container); fails quoting the app's output. */
export async function waitUntilServing(url: string, output: () => Promise<string>, timeoutMillis = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
  throw new Error(`the app did not serve ${url} within ${timeoutMillis} ms. Its output:\n${await output()}`);
}

/**
 * test/apps/sdk-service.mjs as `service` in a container of NODE_IMAGE (host network, the
 * repository mounted read-only), exporting to `otlpHttpUrl`; resolves once it serves, with its
 * full container id as `docker inspect` gives it.
 */
export async function runSdkServiceContainer(
  containers: ContainerSet,
  options: { service: string; otlpHttpUrl: string; env?: Readonly<Record<string, string>> },
): Promise<{ id: string; containerId: string; url: string }> {
  const port = await freePort();
  const env = { PORT: String(port), OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpHttpUrl, ...options.env };
  const id = await containers.run([
    '-v', `${repoRoot}:${repoRoot}:ro`, '-w', repoRoot,
    ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    NODE_IMAGE, 'node', 'test/apps/sdk-service.mjs', options.service,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${url}/hello`, () => docker(['logs', id]).catch((e: unknown) => String(e)));
  const containerId = (await docker(['inspect', '--format', '{{.Id}}', id])).trim();
  return { id, containerId, url };
}
