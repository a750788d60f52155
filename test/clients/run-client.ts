import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs the OTLP client programs of test/clients/ as child processes with a bounded run time
 * and bounded output, and remembers the live ones so that a test file's afterAll can kill
 * what a failed or timed-out test left behind (by PID, never by name).
 */

/** Output kept per stream; a client prints one JSON line, the rest is diagnostics. */
const OUTPUT_MAX_BYTES = 1024 * 1024;
/** How much of stderr a failure message quotes. */
const STDERR_TAIL_CHARS = 4000;

const running = new Set<ChildProcess>();

export interface ClientOptions {
  /** Names the client in failure messages, e.g. "python send.py grpc". */
  label: string;
  command: string;
  args: readonly string[];
  timeoutMillis: number;
  /** Added to (not replacing) the test process's environment. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

export interface ClientResult {
  stdout: string;
  stderr: string;
}

function bounded(): { push(chunk: Buffer): void; text(): string } {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let dropped = 0;
  return {
    push(chunk) {
      if (bytes + chunk.length > OUTPUT_MAX_BYTES) {
        dropped += chunk.length;
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8') + (dropped > 0 ? `\n[${dropped} bytes dropped]` : ''),
  };
}

/**
 * Resolves with the client's output when it exits 0; rejects with its exit code (or the
 * timeout) and the tail of its stderr otherwise.
 * @example await runClient({ label: 'go client', command: goClientPath, args: [url], timeoutMillis: 30_000 })
 */
export function runClient(options: ClientOptions): Promise<ClientResult> {
  const { label, command, args, timeoutMillis } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const stdout = bounded();
    const stderr = bounded();
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMillis);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`${label}: could not start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const err = stderr.text();
      if (code === 0 && !timedOut) {
        resolve({ stdout: stdout.text(), stderr: err });
        return;
      }
      const why = timedOut ? `did not finish within ${timeoutMillis} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`${label} ${why}; stderr:\n${err.slice(-STDERR_TAIL_CHARS)}`));
    });
  });
}

/** Kills every client still running (for afterAll). */
export function killRunningClients(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

/** The last non-empty stdout line, parsed: clients print their report as one JSON line last. */
export function lastJsonLine(label: string, stdout: string): unknown {
  const line = stdout.trimEnd().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${label} printed no JSON report; stdout was:\n${stdout.slice(-STDERR_TAIL_CHARS)}`);
  }
}
