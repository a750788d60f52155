import type { WriteResult } from '../Store.js';
import { StoreClosedError } from './database.js';

/*
 * Which failed writes are worth retrying. The batch is all-or-nothing (one transaction),
 * so a retry never duplicates rows.
 * - I/O errors, disk full included: retryable. Retention may free space within a minute
 *   and the write queue in front of the store is bounded, so retrying costs at most a
 *   full queue (429s upstream), while giving up would drop data we could have kept.
 * - Out of memory, write-write conflicts, interrupts: transient, retryable.
 * - A database DuckDB has invalidated after a fatal error: not retryable; every later
 *   write fails the same way until the collector restarts.
 * - Bad values (conversion, constraint, invalid input, a JS TypeError/RangeError from a
 *   row that does not fit its column) and writes after shutdown: not retryable, the
 *   same batch would fail again.
 */
const FATAL = /FATAL Error|database has been invalidated/i;
const TRANSIENT = /^(IO Error|Out of Memory Error|Interrupt Error|TransactionContext Error)/i;
const CONFLICT = /conflict/i;

export function isRetryableWriteError(error: Error): boolean {
  if (error instanceof StoreClosedError) return false;
  if (FATAL.test(error.message)) return false;
  return TRANSIENT.test(error.message) || CONFLICT.test(error.message);
}

export function writeFailed(error: unknown): WriteResult {
  const err = error instanceof Error ? error : new Error(String(error));
  return { ok: false, retryable: isRetryableWriteError(err), error: err };
}
