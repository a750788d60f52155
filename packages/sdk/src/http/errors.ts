/** An exception on a span, as the official HTTP instrumentation records it. */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR } from './attributes.js';

export function recordError(span: Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.setAttribute(ATTR.errorType, failure.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  span.recordException(failure);
}
