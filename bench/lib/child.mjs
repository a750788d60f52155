/**
 * What the benches' child processes (the collector CLI, the peers) share: a started child
 * never outlives the bench, its last output lines are kept for error messages, and stop()
 * is SIGTERM to its PID, then the exit, then SIGKILL after a timeout.
 *
 *   const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
 *   const supervised = supervise(child, { name: 'otelcol', stopTimeoutMillis: 30_000 });
 *   const code = await supervised.stop();
 */
import { constants } from 'node:os';

/** Lines of child output kept for error messages; the rest is read and dropped. */
const KEPT_LINES = 200;

/**
 * Ctrl-C and SIGTERM become a normal exit (so that 'exit' handlers run), and on exit every
 * child still running is killed, whatever way the bench ends.
 */
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

export function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/**
 * Tracks a spawned child (stdout and stderr piped): keeps its last lines, hands each line to
 * `onLine`, and gives stop() / exitReason() / gone().
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ name: string, stopTimeoutMillis: number, onLine?: (line: string) => void }} options
 */
export function supervise(child, { name, stopTimeoutMillis, onLine }) {
  live.add(child);
  const lines = [];
  let partial = '';
  const onText = (text) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout.setEncoding('utf8').on('data', onText);
  child.stderr.setEncoding('utf8').on('data', onText);
  let spawnError;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  void exited.then(() => live.delete(child));
  const output = () => lines.join('\n');
  const gone = () => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
  return {
    output,
    gone,
    /** Why the child is gone ('exit code 1', 'SIGKILL', a spawn error), or undefined while it runs. */
    exitReason: () =>
      spawnError !== undefined
        ? spawnError.message
        : child.exitCode !== null
          ? `exit code ${child.exitCode}`
          : child.signalCode !== null
            ? child.signalCode
            : undefined,
    /** SIGTERM to its PID, then the exit; SIGKILL (and a rejection) after the timeout. Safe twice. */
    async stop() {
      if (!gone()) child.kill('SIGTERM');
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), stopTimeoutMillis);
      });
      try {
        const result = await Promise.race([exited, timedOut]);
        if (result === 'timeout') {
          child.kill('SIGKILL');
          throw new Error(`${name} did not exit within ${stopTimeoutMillis} ms of SIGTERM. Output:\n${output()}`);
        }
        return result.code ?? 128;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
