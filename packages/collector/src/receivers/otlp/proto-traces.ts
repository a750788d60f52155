import type { Attributes, SpanRow } from '../../model/rows.js';
import { readResource, readScope } from './proto-common.js';
import type { Scope } from './proto-common.js';
import { readSpan } from './proto-span.js';
import { Rejections, optionalId, spanProblem } from './validate.js';
import { serviceOf } from './values.js';
import { WIRE_LEN, delimitedEnd, expectEnd, tagOf } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1, trace/v1/trace.proto)
 * decoded straight to SpanRows: the request, resource and scope levels (the Span message is in
 * proto-span.ts). Resource and scope may follow their spans on the wire, so they are filled
 * into the rows once their message has been read.
 */

const REQUEST_RESOURCE_SPANS = tagOf(1, WIRE_LEN);
const RESOURCE_RESOURCE = tagOf(1, WIRE_LEN);
const RESOURCE_SCOPE_SPANS = tagOf(2, WIRE_LEN);
const SCOPE_SCOPE = tagOf(1, WIRE_LEN);
const SCOPE_SPANS = tagOf(2, WIRE_LEN);

/** Decodes a whole request; throws WireError (or a reader error) when it is malformed. */
export function decodeTraceRequest(r: WireReader): { rows: SpanRow[]; rejections: Rejections } {
  const rows: SpanRow[] = [];
  const rejections = new Rejections('span');
  let resourceIndex = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === REQUEST_RESOURCE_SPANS) {
      readResourceSpans(r, delimitedEnd(r, r.len), rows, rejections, resourceIndex++);
    } else r.skipField(tag);
  }
  return { rows, rejections };
}

function readResourceSpans(r: WireReader, end: number, rows: SpanRow[], rejections: Rejections, resourceIndex: number): void {
  const first = rows.length;
  let resource: Attributes = {};
  let scopeIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === RESOURCE_SCOPE_SPANS) readScopeSpans(r, delimitedEnd(r, end), rows, rejections, resourceIndex, scopeIndex++);
    else if (tag === RESOURCE_RESOURCE) resource = readResource(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  const service = serviceOf(resource);
  for (let i = first; i < rows.length; i++) {
    const row = rows[i]!;
    row.resource = resource;
    row.service = service;
  }
}

function readScopeSpans(
  r: WireReader,
  end: number,
  rows: SpanRow[],
  rejections: Rejections,
  resourceIndex: number,
  scopeIndex: number,
): void {
  const first = rows.length;
  let scope: Scope | null = null;
  let spanIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SCOPE_SPANS) {
      const row = readSpan(r, delimitedEnd(r, end));
      const problem = spanProblem(row.traceId, row.spanId, row.parentSpanId ?? '', row.startNs, row.endNs, row.links);
      if (problem === null) {
        row.parentSpanId = optionalId(row.parentSpanId ?? '');
        rows.push(row);
      } else rejections.add(problem, spanIndex, scopeIndex, resourceIndex);
      spanIndex++;
    } else if (tag === SCOPE_SCOPE) scope = readScope(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  if (scope === null) return;
  for (let i = first; i < rows.length; i++) {
    const row = rows[i]!;
    row.scopeName = scope.name;
    row.scopeVersion = scope.version;
  }
}
