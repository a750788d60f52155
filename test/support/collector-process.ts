/**
 * Runs the built collector CLI (packages/collector/dist/cli.js) as a child process, for
 * end-to-end tests. Stable API — other suites depend on it:
 *
 * @example
 * const collector = await startCollectorProcess({ dataDir: await mkdtemp(join(tmpdir(), 'td-')) });
 * await fetch(`${collector.otlpHttpUrl}/v1/traces`, { method: 'POST', ... });
 * await fetch(`${collector.baseUrl}/api/traces/${traceId}`);
 * expect(await collector.stop()).toBe(0); // SIGTERM, then the exit code
 *
 * Ports are picked free (bound to port 0 and released; start-up is retried with new ones if
 * another process took one meanwhile) and passed through the TRACEDOCK_* variables, with
 * TRACEDOCK_HOST=127.0.0.1; `env` may override any of them (inherited TRACEDOCK_* are not passed). Start-up fails within `startTimeoutMillis`
 * (20 s) with a message quoting the child's output when /api/health does not answer 200.
 * Needs a build: `npx tsc --build` (npm test runs it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface CollectorProcessOptions {
  dataDir: string;
  /** Extra environment, applied last (e.g. TRACEDOCK_QUEUE_MAX_ROWS). */
  env?: Record<string, string>;
  /** Extra CLI flags. */
  args?: string[];
  startTimeoutMillis?: number;
}

export interface CollectorProcess {
  ports: { otlpHttp: number; otlpGrpc: number; ui: number };
  /** The UI/query API origin, e.g. http://127.0.0.1:43210 (append /api/...). */
  baseUrl: string;
  /** The OTLP/HTTP origin (append /v1/traces). */
  otlpHttpUrl: string;
  /** host:port for OTLP/gRPC clients. */
  otlpGrpcAddress: string;
  pid: number;
  /**
   * Sends `signal` (SIGTERM by default) and resolves with the exit code once the process has
   * exited (128 + signal number if a signal killed it). SIGKILLs and rejects after 30 s.
   */
  stop(signal?: NodeJS.Signals): Promise<number>;
  /**
   * What the child wrote so far, stdout and stderr in arrival order (its first 256 KiB and
   * latest 2 MiB when it wrote more).
   */
  logs(): string;
}

const HOST = '127.0.0.1';
const CLI_PATH = fileURLToPath(new URL('../../packages/collector/dist/cli.js', import.meta.url));
const DEFAULT_START_TIMEOUT_MILLIS = 20_000;
const STOP_TIMEOUT_MILLIS = 30_000;
const POLL_INTERVAL_MILLIS = 100;
const HEALTH_FETCH_TIMEOUT_MILLIS = 1_000;
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** A test that fails before stop() must not leave a collector running after the test process. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port that was free a moment ago: bound to 0 by the OS, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no TCP port was bound'))));
    });
  });
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal === null ? 0 : (SIGNAL_NUMBERS[signal] ?? 0));
}

function childEnv(options: CollectorProcessOptions, ports: CollectorProcess['ports']): NodeJS.ProcessEnv {
  // Inherited TRACEDOCK_* variables would make the test depend on the shell it runs in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TRACEDOCK_')));
  return {
    ...inherited,
    TRACEDOCK_HOST: HOST,
    TRACEDOCK_OTLP_HTTP_PORT: String(ports.otlpHttp),
    TRACEDOCK_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    TRACEDOCK_UI_PORT: String(ports.ui),
    TRACEDOCK_DATA_DIR: options.dataDir,
    ...options.env,
  };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMillis: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`tracedock exited during start-up (code ${child.exitCode}, signal ${child.signalCode}). Output:\n${logs()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(HEALTH_FETCH_TIMEOUT_MILLIS) });
      if (response.status === 200) return;
      lastProblem = `GET /api/health answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = `GET /api/health failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
  child.kill('SIGKILL');
  throw new Error(`tracedock did not become healthy within ${timeoutMillis} ms (${lastProblem}). Output:\n${logs()}`);
}

interface Spawned {
  child: ChildProcess;
  exited: Promise<number>;
  logs: () => string;
}

/** The child's output kept for logs(): its start (the listening line) and its latest part. */
const OUTPUT_HEAD_CHARS = 256 * 1024;
const OUTPUT_TAIL_CHARS = 2 * 1024 * 1024;

function boundedOutput(): { push(text: string): void; text(): string } {
  let head = '';
  const tail: string[] = [];
  let tailChars = 0;
  let droppedChars = 0;
  return {
    push(text) {
      if (head.length + text.length <= OUTPUT_HEAD_CHARS) {
        head += text;
        return;
      }
      tail.push(text);
      tailChars += text.length;
      while (tailChars > OUTPUT_TAIL_CHARS && tail.length > 1) {
        const first = tail.shift() ?? '';
        tailChars -= first.length;
        droppedChars += first.length;
      }
    },
    text: () => head + (droppedChars > 0 ? `\n[${droppedChars} characters of output left out]\n` : '') + tail.join(''),
  };
}

function spawnCollector(options: CollectorProcessOptions, ports: CollectorProcess['ports']): Spawned {
  const output = boundedOutput();
  const child = spawn(process.execPath, [CLI_PATH, ...(options.args ?? [])], {
    env: childEnv(options, ports),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => output.push(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => output.push(text));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(exitCodeOf(code, signal))));
  live.add(child);
  void exited.then(() => live.delete(child));
  return { child, exited, logs: () => output.text() };
}

/** Another process may take a port between freePort() and the child's bind: then retry. */
const START_ATTEMPTS = 3;

/** Starts the collector CLI and resolves once GET /api/health answers 200. */
export async function startCollectorProcess(options: CollectorProcessOptions): Promise<CollectorProcess> {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: build first with \`npx tsc --build\` (npm test does it)`);
  }
  for (let attempt = 1; ; attempt += 1) {
    const ports = { otlpHttp: await freePort(), otlpGrpc: await freePort(), ui: await freePort() };
    const spawned = spawnCollector(options, ports);
    const baseUrl = `http://${HOST}:${ports.ui}`;
    try {
      await waitForHealth(baseUrl, spawned.child, options.startTimeoutMillis ?? DEFAULT_START_TIMEOUT_MILLIS, spawned.logs);
      return running(spawned, ports, baseUrl);
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !spawned.logs().includes('EADDRINUSE')) throw error;
    }
  }
}

function running(spawned: Spawned, ports: CollectorProcess['ports'], baseUrl: string): CollectorProcess {
  const { child, exited, logs } = spawned;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MILLIS);
    });
    try {
      const result = await Promise.race([exited, timedOut]);
      if (result !== 'timeout') return result;
      child.kill('SIGKILL');
      throw new Error(`tracedock did not exit within ${STOP_TIMEOUT_MILLIS} ms of ${signal}. Output:\n${logs()}`);
    } finally {
      clearTimeout(timer);
    }
  };
  if (child.pid === undefined) throw new Error(`tracedock did not start. Output:\n${logs()}`);
  return {
    ports,
    baseUrl,
    otlpHttpUrl: `http://${HOST}:${ports.otlpHttp}`,
    otlpGrpcAddress: `${HOST}:${ports.otlpGrpc}`,
    pid: child.pid,
    stop,
    logs,
  };
}
