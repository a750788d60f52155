import type { WireSpan } from '../../api/wire.js';

/** W3C trace context ids: lowercase hex of a fixed width, never all zeros (that means "none"). */
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZEROS = /^0+$/;

export type SpanLink = WireSpan['links'][number];

export interface LinkTarget {
  /** The linked trace's page, with the linked span selected where its id is valid. */
  href: string;
  /** The link points into the trace on screen (e.g. a retry or a batch of the same request). */
  sameTrace: boolean;
}

function validId(id: string, pattern: RegExp): boolean {
  return pattern.test(id) && !ALL_ZEROS.test(id);
}

/**
 * Where a span link leads, or undefined where its trace id is not one the trace page can
 * open. Whether the collector has that trace is not known here: its page says so if not.
 *
 * @example
 * linkTarget({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) }, '12'.repeat(16))
 * // → { href: '/traces/abab…?span=cdcd…', sameTrace: false }
 */
export function linkTarget(link: Pick<SpanLink, 'traceId' | 'spanId'>, currentTraceId: string): LinkTarget | undefined {
  const traceId = link.traceId.toLowerCase();
  if (!validId(traceId, TRACE_ID)) return undefined;
  const spanId = link.spanId.toLowerCase();
  const path = `/traces/${traceId}`;
  return { href: validId(spanId, SPAN_ID) ? `${path}?span=${spanId}` : path, sameTrace: traceId === currentTraceId.toLowerCase() };
}
