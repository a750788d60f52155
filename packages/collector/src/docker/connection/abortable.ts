/** Resolves after `millis`, or at once when `signal` aborts; the timer never outlives it. */
export function sleep(millis: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, millis);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** `signal` bounded by a timeout: aborts when either does. */
export function within(signal: AbortSignal, timeoutMillis: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMillis)]);
}

/** Resolves when `signal` aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** `work`, or a rejection naming `what` after `timeoutMillis`; the timer never outlives it. */
export async function settleWithin<T>(work: Promise<T>, timeoutMillis: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMillis} ms`)), timeoutMillis);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
