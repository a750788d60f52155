/**
 * A ClickHouse server for the tests of the ClickHouse store: scripts/clickhouse-server.py on
 * the engine scripts/setup-dev.sh fetches (.tools/clickhouse/libchdb.so), listening on
 * 127.0.0.1 on a free port with its data in a temp folder; stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './collector-process.js';
import { available, fileExists, repoRoot, toolsDir } from './env.js';

const LIBRARY = join(toolsDir, 'clickhouse', 'libchdb.so');
const LAUNCHER = join(repoRoot, 'scripts', 'clickhouse-server.py');
const START_TIMEOUT_MILLIS = 30_000;
const STOP_TIMEOUT_MILLIS = 15_000;
const OUTPUT_KEPT_CHARS = 64 * 1024;

export function clickhouseAvailable(): boolean {
  return available('the ClickHouse engine', fileExists(LIBRARY), 'run scripts/setup-dev.sh (its clickhouse step fetches .tools/clickhouse/libchdb.so)');
}

export interface ClickHouseServer {
  /** e.g. http://127.0.0.1:41234, for @clickhouse/client's `url`. */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 15 s; removes its data folder. */
  stop(): Promise<void>;
  output(): string;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

async function answersPing(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
    return res.ok && (await res.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

export async function startClickHouse(): Promise<ClickHouseServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-clickhouse-'));
  const port = await freePort();
  const child = spawn('python3', [LAUNCHER, LIBRARY, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const keep = (text: string): void => {
    if (output.length < OUTPUT_KEPT_CHARS) output += text;
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MILLIS;
  while (!(await answersPing(url))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the ClickHouse server exited at start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ClickHouse server did not answer /ping within ${START_TIMEOUT_MILLIS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (child.pid === undefined) throw new Error('the ClickHouse server has no pid');
  return {
    url,
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MILLIS);
      await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
