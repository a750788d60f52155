import type { Attributes } from '../../model/rows.js';
import { readResource, readScope } from './proto-common.js';
import type { Scope } from './proto-common.js';
import type { Rejections } from './validate.js';
import { serviceOf } from './values.js';
import { WIRE_LEN, delimitedEnd, expectEnd, tagOf } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * The resource/scope envelope that ExportTraceServiceRequest and ExportLogsServiceRequest share
 * (trace/v1/trace.proto, logs/v1/logs.proto): the request holds ResourceSpans/ResourceLogs = 1,
 * each holds resource = 1 and ScopeSpans/ScopeLogs = 2, each of those holds scope = 1 and the
 * spans/log records = 2. Resource and scope may follow their items on the wire, so they are
 * filled into the rows once their message has been read.
 */

const REQUEST_RESOURCE_ITEMS = tagOf(1, WIRE_LEN);
const RESOURCE_RESOURCE = tagOf(1, WIRE_LEN);
const RESOURCE_SCOPE_ITEMS = tagOf(2, WIRE_LEN);
const SCOPE_SCOPE = tagOf(1, WIRE_LEN);
const SCOPE_ITEMS = tagOf(2, WIRE_LEN);

/** A row that takes its resource and service from the envelope. */
export interface EnvelopeRow {
  resource: Attributes;
  service: string;
}

/** What differs between signals: how one item (span, log record) is read and how a scope is applied. */
export interface EnvelopeItems<Row extends EnvelopeRow> {
  /** Reads the item message ending at `end`; adds it to `rows`, or why not to `rejections`. */
  readItem(
    r: WireReader,
    end: number,
    rows: Row[],
    rejections: Rejections,
    itemIndex: number,
    scopeIndex: number,
    resourceIndex: number,
  ): void;
  /** Fills the scope into a row read inside it. */
  setScope(row: Row, scope: Scope): void;
}

/** Decodes a whole request; throws WireError (or a reader error) when it is malformed. */
export function decodeEnvelopes<Row extends EnvelopeRow>(
  r: WireReader,
  items: EnvelopeItems<Row>,
  rows: Row[],
  rejections: Rejections,
): void {
  let resourceIndex = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === REQUEST_RESOURCE_ITEMS) {
      readResourceItems(r, delimitedEnd(r, r.len), items, rows, rejections, resourceIndex++);
    } else r.skipField(tag);
  }
}

function readResourceItems<Row extends EnvelopeRow>(
  r: WireReader,
  end: number,
  items: EnvelopeItems<Row>,
  rows: Row[],
  rejections: Rejections,
  resourceIndex: number,
): void {
  const first = rows.length;
  let resource: Attributes = {};
  let scopeIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === RESOURCE_SCOPE_ITEMS) {
      readScopeItems(r, delimitedEnd(r, end), items, rows, rejections, resourceIndex, scopeIndex++);
    } else if (tag === RESOURCE_RESOURCE) resource = readResource(r, delimitedEnd(r, end));
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

function readScopeItems<Row extends EnvelopeRow>(
  r: WireReader,
  end: number,
  items: EnvelopeItems<Row>,
  rows: Row[],
  rejections: Rejections,
  resourceIndex: number,
  scopeIndex: number,
): void {
  const first = rows.length;
  let scope: Scope | null = null;
  let itemIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SCOPE_ITEMS) {
      items.readItem(r, delimitedEnd(r, end), rows, rejections, itemIndex++, scopeIndex, resourceIndex);
    } else if (tag === SCOPE_SCOPE) scope = readScope(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  if (scope === null) return;
  for (let i = first; i < rows.length; i++) items.setScope(rows[i]!, scope);
}
