import type { SpanRow } from '../../model/rows.js';
import type { Scope } from './proto-common.js';
import { decodeEnvelopes } from './proto-envelope.js';
import type { EnvelopeItems } from './proto-envelope.js';
import { readSpan } from './proto-span.js';
import { Rejections, optionalId, spanProblem } from './validate.js';
import type { WireReader } from './wire.js';

/**
 * ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1, trace/v1/trace.proto)
 * decoded straight to SpanRows: the resource and scope levels are in proto-envelope.ts, the
 * Span message in proto-span.ts.
 */

const SPANS: EnvelopeItems<SpanRow> = {
  readItem(r: WireReader, end: number, rows: SpanRow[], rejections: Rejections, spanIndex: number, scopeIndex: number, resourceIndex: number): void {
    const row = readSpan(r, end);
    const problem = spanProblem(row.traceId, row.spanId, row.parentSpanId ?? '', row.startNs, row.endNs, row.links);
    if (problem === null) {
      row.parentSpanId = optionalId(row.parentSpanId ?? '');
      rows.push(row);
    } else rejections.add(problem, spanIndex, scopeIndex, resourceIndex);
  },
  setScope(row: SpanRow, scope: Scope): void {
    row.scopeName = scope.name;
    row.scopeVersion = scope.version;
  },
};

/** Decodes a whole request; throws WireError (or a reader error) when it is malformed. */
export function decodeTraceRequest(r: WireReader): { rows: SpanRow[]; rejections: Rejections } {
  const rows: SpanRow[] = [];
  const rejections = new Rejections('span');
  decodeEnvelopes(r, SPANS, rows, rejections);
  return { rows, rejections };
}
