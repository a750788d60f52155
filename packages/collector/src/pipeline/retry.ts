/** How the write queue retries a store write that failed with a retryable result. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialBackoffMillis: number;
  maxBackoffMillis: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  initialBackoffMillis: 100,
  maxBackoffMillis: 2_000,
};

/** Exponential backoff with full jitter, so that the two tables do not retry in step. */
export function backoffMillis(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxBackoffMillis, policy.initialBackoffMillis * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Resolves true after `millis`, or false as soon as `signal` aborts; the timer never outlives it. */
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
