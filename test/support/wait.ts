/**
 * Waiting on a condition instead of sleeping before an assertion. `waitFor` polls until `check`
 * gives a value (anything but undefined) and fails naming what it waited for and what it last
 * saw; `steadyValue` polls a reading until it stops changing (descriptors closing, a queue
 * draining), for a baseline that has no target value to wait for. An error thrown by `check`
 * fails at once: it is a bug, not "not yet".
 * @example
 *   await waitFor('5 minutes rolled up', () => (store.edgeRollupStats().minutesRolled >= 5 ? true : undefined));
 *   const fds = await steadyValue('open descriptors', () => openFds(pid));
 */

export interface WaitOptions {
  timeoutMillis?: number;
  intervalMillis?: number;
  /** What the failure message shows as last seen. */
  lastSeen?: () => unknown;
}

const DEFAULT_TIMEOUT_MILLIS = 10_000;
const DEFAULT_INTERVAL_MILLIS = 20;
const SNIPPET_CHARS = 500;

const pause = (millis: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, millis));

function describe(value: unknown): string {
  return (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).slice(0, SNIPPET_CHARS);
}

/** Polls `check` until it returns a value, which it resolves with; rejects after the timeout. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  const timeoutMillis = options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS;
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = options.lastSeen === undefined ? '' : `; last seen: ${describe(options.lastSeen())}`;
      throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}${seen}`);
    }
    await pause(options.intervalMillis ?? DEFAULT_INTERVAL_MILLIS);
  }
}

/** Reads `read` every intervalMillis until `reads` readings in a row are equal; resolves with that value. */
export async function steadyValue<T>(
  what: string,
  read: () => T | Promise<T>,
  { reads = 3, intervalMillis = 500, timeoutMillis = 30_000 }: { reads?: number; intervalMillis?: number; timeoutMillis?: number } = {},
): Promise<T> {
  const seen: T[] = [];
  return waitFor(
    `${what} to stay the same for ${reads} readings ${intervalMillis} ms apart`,
    async () => {
      if (seen.length > 0) await pause(intervalMillis);
      seen.push(await read());
      const last = seen.slice(-reads);
      return last.length === reads && last.every((value) => value === last[0]) ? last[0] : undefined;
    },
    { timeoutMillis, intervalMillis: 0, lastSeen: () => seen.slice(-10) },
  );
}
