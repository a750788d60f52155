/**
 * Waits for `work`, at most `timeoutMillis`: 'done' when it fulfils first, 'timeout' when the
 * time runs out first (the work is not cancelled; it goes on unobserved). A rejection of `work`
 * before the timeout rejects with its error, so a failure is not mistaken for success. The
 * timer is cleared either way, so a settled race never holds the process open.
 * @example if ((await within(store.shutdown(), 5_000)) === 'timeout') logger.error('the store did not close in time');
 */
export async function within(work: Promise<unknown>, timeoutMillis: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
