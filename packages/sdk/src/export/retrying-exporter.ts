/**
 * Wraps an OTLP exporter so that a batch survives a collector outage: a failed export is retried
 * with backoff until the batch's budget (the queue's exportTimeoutMillis) runs out, instead of
 * being dropped after the OTLP exporter's own few attempts. While one batch waits here, the batch
 * processor in front keeps only one export in flight and holds new records in its bounded queue,
 * so memory stays bounded: maxQueueSize records plus this one batch.
 *
 * A batch given up is counted here (droppedExportFailed) and then reported to the processor as
 * settled (SUCCESS), not FAILED: the BatchSpanProcessor of @opentelemetry/sdk-trace 3.0 clears its
 * one-export-at-a-time flag again in its rejection handler after it has already started the next
 * export, so each failed batch adds one more concurrent export (measured: 25 batches in flight
 * after a few seconds of load with the collector down). Nothing else reads the result.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { backoffMillis, type BackoffPolicy } from './backoff.js';
import type { DeliveryCounter } from './delivery-stats.js';
import type { SelfLog } from './self-log.js';

/** The shape SpanExporter and LogRecordExporter share. */
export interface BatchExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface RetryPolicy {
  /** Time for one batch, retries included. */
  budgetMillis: number;
  /** The longest one call to the inner exporter may take (its request timeout). */
  attemptTimeoutMillis: number;
  backoff: BackoffPolicy;
}

/** Whether another attempt can help: a 4xx other than 408/429 says the request itself is refused. */
export function isRetryable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'number') return true;
  return !(code >= 400 && code < 500 && code !== 408 && code !== 429);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? error.message || error.name : `${String(code)} ${error.message}`.trim();
  }
  return 'unknown error';
}

const SETTLED: ExportResult = { code: ExportResultCode.SUCCESS };

export class RetryingExporter<T> implements BatchExporter<T> {
  /** Set by beginShutdown(): retries stop waiting and end by this time. */
  #shutdownAtMillis: number | undefined;
  readonly #wakers = new Set<() => void>();

  constructor(
    private readonly inner: BatchExporter<T>,
    private readonly counter: DeliveryCounter,
    private readonly policy: RetryPolicy,
    private readonly log: SelfLog,
  ) {}

  /** Calls back once the batch is exported or given up (see above); its fate is in the counter. */
  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    this.counter.handed += items.length;
    void this.#deliver(items).then(resultCallback);
  }

  /** From now on a failed batch gets at most one more immediate attempt, and none after `deadlineAtMillis`. */
  beginShutdown(deadlineAtMillis: number): void {
    this.#shutdownAtMillis = deadlineAtMillis;
    for (const wake of this.#wakers) wake();
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    this.beginShutdown(Math.min(this.#shutdownAtMillis ?? Date.now(), Date.now()));
    await this.inner.shutdown();
  }

  async #deliver(items: T[]): Promise<ExportResult> {
    const budgetEndMillis = Date.now() + this.policy.budgetMillis;
    let attemptsDuringShutdown = 0;
    for (let retry = 0; ; retry += 1) {
      if (this.#shutdownAtMillis !== undefined) attemptsDuringShutdown += 1;
      const result = await this.#attempt(items);
      if (result.code === ExportResultCode.SUCCESS) {
        this.counter.exported += items.length;
        this.log.recovered('export works again');
        return SETTLED;
      }
      const waitMillis = this.#shutdownAtMillis === undefined ? backoffMillis(retry, this.policy.backoff) : 0;
      const nowMillis = Date.now();
      const giveUp =
        !isRetryable(result.error) ||
        (this.#shutdownAtMillis === undefined
          ? nowMillis + waitMillis + this.policy.attemptTimeoutMillis > budgetEndMillis
          : attemptsDuringShutdown >= 1 || nowMillis >= Math.min(this.#shutdownAtMillis, budgetEndMillis));
      if (giveUp) {
        this.counter.droppedExportFailed += items.length;
        this.log.once('gave-up', `dropped a batch of ${items.length} after retrying (${describe(result.error)}); see stats() for totals`);
        return SETTLED;
      }
      this.counter.retries += 1;
      this.log.once('failing', `export failed (${describe(result.error)}); retrying with backoff, holding up to the queue's bound`);
      await this.#sleep(waitMillis);
    }
  }

  #attempt(items: T[]): Promise<ExportResult> {
    return new Promise((resolve) => {
      try {
        this.inner.export(items, resolve);
      } catch (error) {
        // An exporter must report through the callback; one that throws must not break the app either.
        resolve({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  }

  #sleep(millis: number): Promise<void> {
    if (millis <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, millis);
      // A pending retry alone must not keep a finished process alive (as the batch processors' timers).
      timer.unref();
      this.#wakers.add(wake);
    });
  }
}
