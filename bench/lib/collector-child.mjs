/**
 * The built collector CLI (packages/collector/dist/cli.js) as a child process, for benches:
 * every port is 0 (the real ones are read from the "tracedock listening" log line, so there is
 * no race for a free port), the host is loopback, the data folder is the caller's.
 *
 *   const collector = await startCollector({ dataDir, args: ['--retention-hours', '87600'] });
 *   await fetch(`${collector.uiUrl}/api/health`);
 *   const code = await collector.stop(); // SIGTERM, waits for the exit (the queue drains)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sleep, supervise } from './child.mjs';

export const CLI_PATH = fileURLToPath(new URL('../../packages/collector/dist/cli.js', import.meta.url));
const HOST = '127.0.0.1';
const START_TIMEOUT_MILLIS = 20_000;
const STOP_TIMEOUT_MILLIS = 60_000;
const POLL_MILLIS = 50;

/**
 * Starts the collector and resolves once GET /api/health answers 200.
 * `cliPath` runs another build (e.g. a patched copy of dist/ to compare against).
 * @param {{ dataDir: string, args?: string[], nodeArgs?: string[], env?: Record<string, string>, cliPath?: string }} options
 */
export async function startCollector({ dataDir, args = [], nodeArgs = [], env = {}, cliPath = CLI_PATH }) {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: build first (npx tsc --build)`);
  // Inherited TRACEDOCK_* variables would make the figures depend on the shell.
  const childEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TRACEDOCK_')));
  const child = spawn(
    process.execPath,
    [...nodeArgs, cliPath, '--host', HOST, '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--ui-port', '0', '--data-dir', dataDir, ...args],
    { env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let listening;
  const supervised = supervise(child, {
    name: 'the collector',
    stopTimeoutMillis: STOP_TIMEOUT_MILLIS,
    onLine: (line) => {
      if (listening !== undefined || !line.includes('tracedock listening')) return;
      try {
        listening = JSON.parse(line);
      } catch {
        // not pino JSON: keep waiting, the timeout reports the output
      }
    },
  });
  const { output } = supervised;

  const deadline = performance.now() + START_TIMEOUT_MILLIS;
  let problem = 'no "tracedock listening" line yet';
  while (performance.now() < deadline) {
    if (supervised.gone()) {
      throw new Error(`the collector exited during start-up (${supervised.exitReason()}). Output:\n${output()}`);
    }
    if (listening !== undefined) {
      try {
        const response = await fetch(`${listening.ui}/api/health`, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.status === 200) break;
        problem = `/api/health answered ${response.status}`;
      } catch (error) {
        problem = `/api/health: ${error.message}`;
      }
    }
    await sleep(POLL_MILLIS);
  }
  if (performance.now() >= deadline) {
    child.kill('SIGKILL');
    throw new Error(`the collector was not healthy within ${START_TIMEOUT_MILLIS} ms (${problem}). Output:\n${output()}`);
  }

  return {
    pid: child.pid,
    otlpHttpUrl: listening.otlpHttp,
    otlpGrpcAddress: listening.otlpGrpc,
    uiUrl: listening.ui,
    output,
    exitReason: supervised.exitReason,
    /** SIGTERM, then the exit; rejects (after a SIGKILL) when it takes over a minute. */
    stop: supervised.stop,
  };
}
