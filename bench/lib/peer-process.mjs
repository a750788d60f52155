/**
 * A peer collector (a Go binary built by scripts/build-peers.sh) as a child process of the
 * bench: ports picked free on 127.0.0.1 and handed over through the environment (the peers'
 * configs in bench/peers/ read ${env:...}), readiness by polling a URL, stop by its PID.
 *
 *   const [otlp, metrics] = await freePorts(2);
 *   const peer = await startPeer({ name: 'otelcol', binary, args: ['--config', file],
 *     env: { PEER_OTLP_HTTP_PORT: String(otlp) }, readyUrl: `http://127.0.0.1:${metrics}/metrics` });
 *   await peer.stop(); // SIGTERM to peer.pid, then the exit (SIGKILL after a timeout)
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { sleep, supervise } from './child.mjs';

export const HOST = '127.0.0.1';
const START_TIMEOUT_MILLIS = 30_000;
const STOP_TIMEOUT_MILLIS = 30_000;
const POLL_MILLIS = 50;

/**
 * `count` distinct ports that were free on 127.0.0.1 a moment ago: each is bound to port 0,
 * read and released. A Go peer cannot report the ports it bound, so this is the next best
 * thing; the small race with other processes shows as a start-up failure naming the port.
 */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, HOST, resolve);
      });
      servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * Starts `binary` and resolves once GET `readyUrl` answers 200 (and every extra URL in
 * `alsoReadyUrls` answers at all).
 * @param {{ name: string, binary: string, args: string[], env?: Record<string, string>,
 *   cwd?: string, readyUrl: string }} options
 */
export async function startPeer({ name, binary, args, env = {}, cwd, readyUrl }) {
  const child = spawn(binary, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const supervised = supervise(child, { name, stopTimeoutMillis: STOP_TIMEOUT_MILLIS });
  const { output, gone } = supervised;

  const deadline = performance.now() + START_TIMEOUT_MILLIS;
  let problem = 'not polled yet';
  while (true) {
    if (gone()) {
      throw new Error(`${name} exited during start-up (${supervised.exitReason()}). Output:\n${output()}`);
    }
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
      problem = `${readyUrl} answered ${response.status}`;
    } catch (error) {
      problem = `${readyUrl}: ${error.cause?.code ?? error.message}`;
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within ${START_TIMEOUT_MILLIS} ms (${problem}). Output:\n${output()}`);
    }
    await sleep(POLL_MILLIS);
  }

  return {
    name,
    pid: child.pid,
    output,
    exitReason: supervised.exitReason,
    stop: supervised.stop,
  };
}
