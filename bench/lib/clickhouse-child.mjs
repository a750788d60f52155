/**
 * A ClickHouse server for a bench: scripts/clickhouse-server.py on the engine
 * scripts/setup-dev.sh fetches (.tools/clickhouse/libchdb.so), on a free loopback port, data
 * in a temp folder; stopped by its PID. Undefined from startClickHouse when the engine is
 * not installed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLICKHOUSE_LIBRARY = join(ROOT, '.tools', 'clickhouse', 'libchdb.so');
const LAUNCHER = join(ROOT, 'scripts', 'clickhouse-server.py');
const START_TIMEOUT_MILLIS = 30_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startClickHouse() {
  if (!existsSync(CLICKHOUSE_LIBRARY)) return undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-bench-clickhouse-'));
  const port = await freePort();
  const child = spawn('python3', [LAUNCHER, CLICKHOUSE_LIBRARY, dataDir, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text.slice(0, 4096)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MILLIS;
  for (;;) {
    const ok = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ClickHouse server did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
