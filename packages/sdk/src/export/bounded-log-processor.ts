/** The log-record twin of BoundedSpanProcessor: the BatchLogRecordProcessor's bound, applied and counted here. */
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { DeliveryCounter } from './delivery-stats.js';
import type { SelfLog } from './self-log.js';

export class BoundedLogRecordProcessor implements LogRecordProcessor {
  #closed = false;

  constructor(
    private readonly inner: LogRecordProcessor,
    private readonly counter: DeliveryCounter,
    private readonly maxQueueSize: number,
    private readonly log: SelfLog,
  ) {}

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    if (this.#closed) return;
    if (this.counter.queued >= this.maxQueueSize) {
      this.counter.droppedQueueFull += 1;
      this.log.once('queue-full', `queue full (${this.maxQueueSize}); dropping new log records and counting them in stats()`);
      return;
    }
    this.counter.accepted += 1;
    this.inner.onEmit(logRecord, context);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#closed = true;
    return this.inner.shutdown();
  }
}
