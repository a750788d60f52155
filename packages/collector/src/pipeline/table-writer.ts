import type { WriteResult } from '../store/Store.js';
import { backoffMillis, sleep, type RetryPolicy } from './retry.js';

/** Why accepted rows were never stored; a label of `tracedock_rows_dropped_total`. */
export type DropReason = 'store_error' | 'retries_exhausted' | 'shutdown_timeout';

export interface TableWriterOptions<Row> {
  batchMaxRows: number;
  batchMaxDelayMillis: number;
  retry: RetryPolicy;
  write(rows: readonly Row[]): Promise<WriteResult>;
  correlate(rows: Row[]): Promise<Row[]>;
  onStored(rows: number): void;
  onDropped(rows: number, reason: DropReason, error: Error | undefined): void;
}

interface Chunk<Row> {
  rows: Row[];
  enqueuedAtMillis: number;
}

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/**
 * Batches the rows of one table and writes them with one store write in flight at a time.
 * A batch is written when it reaches batchMaxRows, when its oldest row has waited
 * batchMaxDelayMillis, or at once while draining.
 */
export class TableWriter<Row> {
  readonly #options: TableWriterOptions<Row>;
  readonly #chunks: Chunk<Row>[] = [];
  readonly #abort = new AbortController();
  #bufferedRows = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #draining = false;

  constructor(options: TableWriterOptions<Row>) {
    this.#options = options;
  }

  push(rows: Row[]): void {
    if (rows.length === 0) return;
    this.#chunks.push({ rows, enqueuedAtMillis: performance.now() });
    this.#bufferedRows += rows.length;
    this.#schedule();
  }

  /** Writes everything buffered now, without waiting for the batch delay. */
  async drain(): Promise<void> {
    this.#draining = true;
    while (this.#bufferedRows > 0 || this.#writing !== undefined) {
      this.#schedule();
      await this.#writing;
    }
  }

  /** Gives up: stops retry backoffs and drops what is still buffered. */
  abort(): void {
    this.#abort.abort();
    this.#clearTimer();
    const rows = this.#bufferedRows;
    this.#chunks.length = 0;
    this.#bufferedRows = 0;
    if (rows > 0) this.#options.onDropped(rows, 'shutdown_timeout', undefined);
  }

  #due(): boolean {
    const oldest = this.#chunks[0];
    if (oldest === undefined) return false;
    if (this.#draining || this.#bufferedRows >= this.#options.batchMaxRows) return true;
    return performance.now() - oldest.enqueuedAtMillis >= this.#options.batchMaxDelayMillis;
  }

  #schedule(): void {
    if (this.#writing !== undefined || this.#bufferedRows === 0 || this.#abort.signal.aborted) return;
    if (this.#due()) {
      this.#clearTimer();
      this.#writing = this.#writeLoop();
      return;
    }
    if (this.#timer !== undefined) return;
    const oldest = this.#chunks[0];
    const waitedMillis = oldest === undefined ? 0 : performance.now() - oldest.enqueuedAtMillis;
    // Timers may fire a fraction of a millisecond early; the +1 keeps #due() true when they do.
    const delayMillis = Math.max(0, this.#options.batchMaxDelayMillis - waitedMillis) + 1;
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

  async #writeLoop(): Promise<void> {
    try {
      while (this.#due()) await this.#writeBatch(this.#take(this.#options.batchMaxRows));
    } finally {
      this.#writing = undefined;
      this.#schedule();
    }
  }

  #take(maxRows: number): Row[] {
    const batch: Row[] = [];
    while (batch.length < maxRows) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) break;
      const room = maxRows - batch.length;
      if (chunk.rows.length <= room) {
        this.#chunks.shift();
        for (const row of chunk.rows) batch.push(row);
      } else {
        for (const row of chunk.rows.slice(0, room)) batch.push(row);
        chunk.rows = chunk.rows.slice(room);
      }
    }
    this.#bufferedRows -= batch.length;
    return batch;
  }

  async #writeBatch(batch: Row[]): Promise<void> {
    const { write, correlate, onStored, onDropped, retry } = this.#options;
    let rows = batch;
    try {
      rows = await correlate(batch);
    } catch {
      rows = batch; // a correlation failure must not lose data; store the rows uncorrelated
    }
    for (let attempt = 1; ; attempt += 1) {
      let result: WriteResult;
      try {
        result = await write(rows);
      } catch (thrown) {
        result = { ok: false, retryable: false, error: asError(thrown) };
      }
      if (result.ok) return onStored(batch.length);
      if (!result.retryable) return onDropped(batch.length, 'store_error', result.error);
      if (attempt >= retry.maxAttempts) return onDropped(batch.length, 'retries_exhausted', result.error);
      const slept = await sleep(backoffMillis(retry, attempt), this.#abort.signal);
      if (!slept) return onDropped(batch.length, 'shutdown_timeout', result.error);
    }
  }
}
