import type { WriteResult } from '../store/Store.js';
import { backoffMillis, type BackoffPolicy } from './backoff.js';
import { sleep } from './sleep.js';

/**
 * The one retry policy for writes to the store, used by the write queue (pipeline/table-writer.ts)
 * and by the Docker part's batched writes (docker/store/StoreBatcher.ts), as the OpenTelemetry
 * Collector's exporterhelper retries for every exporter. A write's WriteResult decides:
 * - ok: stored.
 * - retryable (the store is busy or briefly away): tried again after a backoff (backoff.ts), up
 *   to maxAttempts attempts in all; then the rows are dropped as `retries_exhausted`.
 * - not retryable, or a write that throws (a bad batch or a bug: another attempt cannot help):
 *   dropped at once as `store_error`.
 * - shutdown aborts a backoff: dropped as `shutdown_timeout`.
 * Whoever holds the rows counts a drop with DroppedRows (dropped-rows.ts).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

/** Up to 5 attempts within about 1.5 s at most (waits of at most 100 + 200 + 400 + 800 ms). */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  backoff: { initialMillis: 100, maxMillis: 2_000 },
};

/** Why rows were never stored: a label of the drop counters. `buffer_full`: refused by a bound before any write. */
export type DropReason = 'store_error' | 'retries_exhausted' | 'shutdown_timeout' | 'buffer_full';

export type WriteOutcome =
  | { stored: true; written: number }
  | { stored: false; reason: Exclude<DropReason, 'buffer_full'>; error: Error };

export interface WriteRetryOptions {
  policy: RetryPolicy;
  /** Aborting it cuts a backoff short (shutdown); an attempt in flight still finishes. */
  signal?: AbortSignal;
  /** For tests: the jitter's random source and the wait (both default to the real ones). */
  random?: () => number;
  wait?: (millis: number, signal: AbortSignal) => Promise<boolean>;
}

const NEVER = new AbortController().signal;

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

async function attempt<Row>(write: (rows: readonly Row[]) => Promise<WriteResult>, rows: readonly Row[]): Promise<WriteResult> {
  try {
    return await write(rows);
  } catch (thrown) {
    return { ok: false, retryable: false, error: asError(thrown) };
  }
}

/**
 * Writes `rows` under the policy above and says what became of them; never throws.
 * @example const outcome = await writeWithRetry((r) => store.writeSpans(r), rows, { policy: DEFAULT_RETRY_POLICY, signal });
 */
export async function writeWithRetry<Row>(
  write: (rows: readonly Row[]) => Promise<WriteResult>,
  rows: readonly Row[],
  options: WriteRetryOptions,
): Promise<WriteOutcome> {
  const { policy, signal = NEVER, random = Math.random, wait = sleep } = options;
  for (let attempts = 1; ; attempts += 1) {
    const result = await attempt(write, rows);
    if (result.ok) return { stored: true, written: result.written };
    if (!result.retryable) return { stored: false, reason: 'store_error', error: result.error };
    if (attempts >= policy.maxAttempts) return { stored: false, reason: 'retries_exhausted', error: result.error };
    const waited = await wait(backoffMillis(attempts - 1, policy.backoff, random), signal);
    if (!waited) return { stored: false, reason: 'shutdown_timeout', error: result.error };
  }
}
