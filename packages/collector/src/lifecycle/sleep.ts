/**
 * Resolves true after `millis`, or false as soon as `signal` aborts (at once if it has); the
 * timer never outlives it. For retry waits that shutdown must be able to cut short.
 * @example if (!(await sleep(backoff.next(), stop))) return; // stopped while waiting
 */
export function sleep(millis: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, millis);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
