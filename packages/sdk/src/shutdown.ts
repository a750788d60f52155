/**
 * Bounded shutdown and the process events that trigger it. A service being stopped must not hang
 * on an unreachable collector, so flushing is raced against a timeout; and the SDK's signal
 * handlers must not change how the process reacts to the signal otherwise.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Resolves with 'done', or with 'timeout' after `timeoutMillis` (the work keeps running unobserved).
 * The collector's within() (packages/collector/src/lifecycle/within.ts), which this package cannot
 * import, with two differences an SDK needs: a rejection counts as done, and the timer is unref'd,
 * so that neither a telemetry error nor the timer reaches or holds the app.
 */
export async function withTimeout(work: Promise<unknown>, timeoutMillis: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  try {
    // A failing flush is still a finished one: telemetry errors never reach the caller.
    return await Promise.race([work.then(() => 'done' as const, () => 'done' as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * On SIGTERM/SIGINT: flush, then, if the app has no handler of its own for that signal, raise it
 * again so that the default action (exit) happens as it would have without the SDK. On the natural
 * end of the process (beforeExit): flush what is queued. Returns the function that removes them.
 */
export function installProcessHooks(shutdown: () => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    uninstall();
    void shutdown().finally(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  const onBeforeExit = (): void => {
    uninstall();
    void shutdown();
  };
  const uninstall = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('beforeExit', onBeforeExit);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('beforeExit', onBeforeExit);
  return uninstall;
}
