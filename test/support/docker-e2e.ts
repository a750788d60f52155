/**
 * Helpers of the Docker end-to-end tests (test/docker-*.test.ts): reading the query API as
 * unchecked JSON (each test asserts the shape it needs), polling until telemetry arrived,
 * the collector process's open descriptors and memory, and a Docker daemon of the test's own
 * (its own socket, data-root and exec-root) that a test may stop and start — never the
 * shared one.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './collector-process.js';
import { BUSYBOX_IMAGE, docker, ensureTestImages, type ContainerSet } from './docker.js';

const FETCH_TIMEOUT_MILLIS = 5_000;
const POLL_INTERVAL_MILLIS = 100;
const BODY_SNIPPET_CHARS = 600;

/** GET `path` of the query API; throws with the status and body unless it is 200. */
export async function getJson(baseUrl: string, path: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MILLIS) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, BODY_SNIPPET_CHARS)}`);
  return JSON.parse(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `json[key]` as an array of objects (`[]` when absent), for lists such as `containers`. */
export function listOf(json: unknown, key: string): Record<string, unknown>[] {
  const value = isRecord(json) ? json[key] : undefined;
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/**
 * Polls `check` until it returns something other than undefined; fails naming `what` and
 * the last value seen (or error) after `timeoutMillis`.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMillis = 20_000,
  lastSeen: () => unknown = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  let problem = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      problem = '';
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      const seen = JSON.stringify(lastSeen())?.slice(0, BODY_SNIPPET_CHARS);
      throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}${problem ? ` (${problem})` : ''}; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
}

/** Open file descriptors of a process (sockets included), from /proc/<pid>/fd. */
export async function openFds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** Resident memory of a process in bytes, from /proc/<pid>/status. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

/** The value of one series in a Prometheus text page, 0 when absent. */
export function metricValue(page: string, series: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const DAEMON_START_TIMEOUT_MILLIS = 60_000;
const DAEMON_STOP_TIMEOUT_MILLIS = 60_000;

/** A test that fails before remove() must not leave its daemon behind. */
const liveDaemons = new Set<number>();
process.once('exit', () => {
  for (const pid of liveDaemons) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

/**
 * A dockerd of the test's own: socket, data-root, exec-root and pidfile under `dir`, host
 * networking only. Started and stopped by its PID; `remove()` stops it and deletes `dir`.
 * @example const daemon = new TestDaemon('/tmp/td-x'); await daemon.start(); daemon.host // unix:///tmp/td-x/docker.sock
 */
export class TestDaemon {
  readonly dir: string;
  readonly host: string;
  #pid: number | undefined;

  constructor(dir: string) {
    this.dir = dir;
    this.host = `unix://${join(dir, 'docker.sock')}`;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** `docker -H <this daemon> ...args`. */
  cli(args: readonly string[], timeoutMillis?: number): Promise<string> {
    return docker(['-H', this.host, ...args], timeoutMillis);
  }

  async start(extraArgs: readonly string[] = []): Promise<void> {
    if (this.#pid !== undefined) throw new Error('the test daemon already runs');
    const child = spawn(
      '/usr/sbin/dockerd',
      [
        '--host', this.host, '--data-root', join(this.dir, 'root'), '--exec-root', join(this.dir, 'exec'),
        '--pidfile', join(this.dir, 'docker.pid'), '--bridge=none', '--iptables=false', ...extraArgs,
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    child.unref();
    if (child.pid === undefined) throw new Error('dockerd did not start');
    this.#pid = child.pid;
    liveDaemons.add(child.pid);
    const deadline = Date.now() + DAEMON_START_TIMEOUT_MILLIS;
    for (;;) {
      if (await this.cli(['version', '--format', '{{.Server.APIVersion}}'], 5_000).then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`the test dockerd (pid ${this.#pid}) did not answer within ${DAEMON_START_TIMEOUT_MILLIS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
    }
  }

  /** SIGTERM to this daemon's PID; resolves once it has exited. */
  async stop(): Promise<void> {
    const pid = this.#pid;
    if (pid === undefined) return;
    this.#pid = undefined;
    liveDaemons.delete(pid);
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + DAEMON_STOP_TIMEOUT_MILLIS;
    while (alive()) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
    }
  }

  /** Copies an image of the shared daemon into this one (no registry is reachable). */
  async loadImage(image: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const save = spawn('/usr/bin/docker', ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
      const load = spawn('/usr/bin/docker', ['-H', this.host, 'load'], { stdio: ['pipe', 'ignore', 'inherit'] });
      save.stdout.pipe(load.stdin);
      save.once('error', reject);
      load.once('error', reject);
      load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited with ${code}`))));
    });
  }

  /**
   * Removes every container of this daemon, stops it and deletes its folder. A daemon that
   * is down (a test failed mid-outage) is started once more first, without --live-restore,
   * so that containers it left running are found and removed rather than orphaned.
   */
  async remove(): Promise<void> {
    try {
      if (this.#pid === undefined) await this.start();
      const ids = (await this.cli(['ps', '-aq'])).split('\n').filter((id) => id !== '');
      if (ids.length > 0) await this.cli(['rm', '-f', ...ids]);
    } finally {
      await this.stop();
      await unmountUnder(this.dir);
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

const run = promisify(execFile);

/** dockerd leaves its netns (and with --live-restore its data-root) mounted under its folder. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((line) => line.split(' ')[1] ?? '');
  const mine = mounts.filter((path) => path === dir || path.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
  for (const path of mine) await run('umount', [path]).catch(() => undefined);
}

/**
 * In a describe block: a collector on the shared Docker daemon, started before its tests
 * (data in a temporary folder named after `name`) and stopped after them, once `containers`
 * are removed. Returns a GET of its query API (see getJson) and the collector once started.
 */
export function collectorForDescribe(
  name: string,
  containers: ContainerSet,
  env?: Record<string, string>,
): { api: (path: string) => Promise<unknown>; collector: () => CollectorProcess } {
  let collector: CollectorProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    await ensureTestImages();
    dataDir = await mkdtemp(join(tmpdir(), `tracedock-${name}-`));
    collector = await startCollectorProcess(env === undefined ? { dataDir } : { dataDir, env });
  });

  afterAll(async () => {
    await containers.removeAll();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  const started = (): CollectorProcess => {
    if (collector === undefined) throw new Error('the collector did not start');
    return collector;
  };
  return { api: (path: string): Promise<unknown> => getJson(started().baseUrl, path), collector: started };
}

/**
 * In a describe block: a TestDaemon (with the busybox image) and a collector reaching it
 * through DOCKER_HOST, started before its tests (collector data in a temporary folder named
 * after `name`) and both removed after them. Returns both once they are set up.
 */
export function ownDaemonWithCollector(
  name: string,
  env: Record<string, string> = {},
): () => { daemon: TestDaemon; collector: CollectorProcess } {
  let daemon: TestDaemon | undefined;
  let collector: CollectorProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    await ensureTestImages();
    // A short folder: the socket path must fit a unix socket address (108 bytes).
    daemon = new TestDaemon(await mkdtemp(join(tmpdir(), 'td-dockerd-')));
    await daemon.start();
    await daemon.loadImage(BUSYBOX_IMAGE);
    dataDir = await mkdtemp(join(tmpdir(), `tracedock-${name}-`));
    collector = await startCollectorProcess({ dataDir, env: { DOCKER_HOST: daemon.host, ...env } });
  }, 120_000);

  afterAll(async () => {
    try {
      await collector?.stop();
      await daemon?.remove();
    } finally {
      if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  return () => {
    if (daemon === undefined || collector === undefined) throw new Error('set-up failed');
    return { daemon, collector };
  };
}
