import { writeWithRetry, type DropReason, type RetryPolicy } from '../lifecycle/write-retry.js';
import type { WriteResult } from '../store/Store.js';

export interface TableWriterOptions<Row> {
  batchMaxRows: number;
  batchMaxDelayMillis: number;
  /**
   * Store writes of this table in flight at once: with 2, the next batch is appended while the
   * store commits the last. Batches may then be stored out of order. Default 1.
   */
  writesInFlight?: number;
  /**
   * Rows wait at least this long before they are written (not while draining), however many
   * there are: the window in which a copy of them arriving another way can replace them
   * (log-dedupe.ts). Default 0.
   */
  holdMillis?: number;
  retry: RetryPolicy;
  write(rows: readonly Row[]): Promise<WriteResult>;
  correlate(rows: Row[]): Promise<Row[]>;
  /**
   * After the join, the rows to store: duplicates of rows already stored are left out here
   * (span-dedupe.ts, log-dedupe.ts). Default: all of them.
   */
  dedupe?(rows: Row[]): Row[];
  /**
   * `rows`: the batch's rows, which leave the queue; `stored` of them were written, the rest
   * were duplicates. `bytes`: the approximate memory the rows held, as pushed (see push()).
   */
  onStored(rows: number, bytes: number, stored: number): void;
  onDropped(rows: number, bytes: number, reason: DropReason, error: Error | undefined): void;
}

interface Chunk<Row> {
  rows: Row[];
  bytes: number;
  enqueuedAtMillis: number;
}

interface Batch<Row> {
  rows: Row[];
  bytes: number;
}

/**
 * Batches the rows of one table and writes them with up to writesInFlight store writes at a
 * time. A batch is written when it reaches batchMaxRows, when its oldest row has waited
 * batchMaxDelayMillis, or at once while draining. Failed writes are retried or dropped by the
 * store write policy (lifecycle/write-retry.ts).
 */
export class TableWriter<Row> {
  readonly #options: TableWriterOptions<Row>;
  readonly #chunks: Chunk<Row>[] = [];
  readonly #abort = new AbortController();
  #bufferedRows = 0;
  #bufferedBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #writes = new Set<Promise<void>>();
  #draining = false;

  constructor(options: TableWriterOptions<Row>) {
    this.#options = options;
  }

  /** `bytes` is the caller's estimate of the memory the rows hold, handed back in onStored/onDropped. */
  push(rows: Row[], bytes = 0): void {
    if (rows.length === 0) return;
    this.#chunks.push({ rows, bytes, enqueuedAtMillis: performance.now() });
    this.#bufferedRows += rows.length;
    this.#bufferedBytes += bytes;
    this.#schedule();
  }

  /** Writes everything buffered now, without waiting for the batch delay. */
  async drain(): Promise<void> {
    this.#draining = true;
    while (this.#bufferedRows > 0 || this.#writes.size > 0) {
      this.#schedule();
      if (this.#writes.size === 0) break; // aborted: nothing left that could be written
      await Promise.race(this.#writes);
    }
  }

  /** Gives up: stops retry backoffs and drops what is still buffered. */
  abort(): void {
    this.#abort.abort();
    this.#clearTimer();
    const rows = this.#bufferedRows;
    const bytes = this.#bufferedBytes;
    this.#chunks.length = 0;
    this.#bufferedRows = 0;
    this.#bufferedBytes = 0;
    if (rows > 0) this.#options.onDropped(rows, bytes, 'shutdown_timeout', undefined);
  }

  #holdMillis(): number {
    return this.#draining ? 0 : (this.#options.holdMillis ?? 0);
  }

  #due(): boolean {
    const oldest = this.#chunks[0];
    if (oldest === undefined) return false;
    if (this.#draining) return true;
    const waitedMillis = performance.now() - oldest.enqueuedAtMillis;
    if (waitedMillis < this.#holdMillis()) return false;
    return this.#bufferedRows >= this.#options.batchMaxRows || waitedMillis >= this.#options.batchMaxDelayMillis;
  }

  #schedule(): void {
    if (this.#abort.signal.aborted) return;
    const maxWrites = this.#options.writesInFlight ?? 1;
    while (this.#writes.size < maxWrites && this.#due()) {
      this.#clearTimer();
      const writing: Promise<void> = this.#writeBatch(this.#take(this.#options.batchMaxRows)).finally(() => {
        this.#writes.delete(writing);
        this.#schedule();
      });
      this.#writes.add(writing);
    }
    // A full set of writes reschedules when one ends; an empty buffer when rows are pushed.
    if (this.#writes.size >= maxWrites || this.#bufferedRows === 0 || this.#timer !== undefined) return;
    const oldest = this.#chunks[0];
    const waitedMillis = oldest === undefined ? 0 : performance.now() - oldest.enqueuedAtMillis;
    // Timers may fire a fraction of a millisecond early; the +1 keeps #due() true when they do.
    const delayMillis = Math.max(0, Math.max(this.#holdMillis(), this.#options.batchMaxDelayMillis) - waitedMillis) + 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#schedule();
    }, delayMillis);
    // The queue never keeps the process alive by itself; shutdown() drains it explicitly.
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #take(maxRows: number): Batch<Row> {
    const rows: Row[] = [];
    let bytes = 0;
    const heldSince = performance.now() - this.#holdMillis();
    while (rows.length < maxRows) {
      const chunk = this.#chunks[0];
      if (chunk === undefined || chunk.enqueuedAtMillis > heldSince) break;
      const room = maxRows - rows.length;
      if (chunk.rows.length <= room) {
        this.#chunks.shift();
        for (const row of chunk.rows) rows.push(row);
        bytes += chunk.bytes;
      } else {
        // A split chunk's bytes go with its rows, pro rata.
        const takenBytes = Math.round((chunk.bytes * room) / chunk.rows.length);
        for (const row of chunk.rows.slice(0, room)) rows.push(row);
        chunk.rows = chunk.rows.slice(room);
        chunk.bytes -= takenBytes;
        bytes += takenBytes;
      }
    }
    this.#bufferedRows -= rows.length;
    this.#bufferedBytes -= bytes;
    return { rows, bytes };
  }

  async #writeBatch(batch: Batch<Row>): Promise<void> {
    const { write, correlate, dedupe, onStored, onDropped, retry } = this.#options;
    const count = batch.rows.length;
    let rows = batch.rows;
    try {
      rows = await correlate(batch.rows);
    } catch {
      rows = batch.rows; // a correlation failure must not lose data; store the rows uncorrelated
    }
    if (dedupe !== undefined) rows = dedupe(rows);
    if (rows.length === 0) return onStored(count, batch.bytes, 0);
    const outcome = await writeWithRetry(write, rows, { policy: retry, signal: this.#abort.signal });
    if (outcome.stored) onStored(count, batch.bytes, rows.length);
    else onDropped(count, batch.bytes, outcome.reason, outcome.error);
  }
}
