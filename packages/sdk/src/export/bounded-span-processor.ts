/**
 * Sits in front of the BatchSpanProcessor and applies its maxQueueSize bound itself, so that the
 * spans it turns away are counted (the batch processor drops silently past its bound). The queue
 * depth is known from the counter: accepted here minus handed to the exporter.
 */
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { DeliveryCounter } from './delivery-stats.js';
import type { SelfLog } from './self-log.js';

export class BoundedSpanProcessor implements SpanProcessor {
  #closed = false;

  constructor(
    private readonly inner: SpanProcessor,
    private readonly counter: DeliveryCounter,
    private readonly maxQueueSize: number,
    private readonly log: SelfLog,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // The batch processor ignores both of these too; they were never going to be exported.
    if (this.#closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.counter.queued >= this.maxQueueSize) {
      this.counter.droppedQueueFull += 1;
      this.log.once('queue-full', `queue full (${this.maxQueueSize}); dropping new spans and counting them in stats()`);
      return;
    }
    this.counter.accepted += 1;
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#closed = true;
    return this.inner.shutdown();
  }
}
