import type { Attributes, SpanEventRow, SpanLinkRow, SpanRow } from '../../model/rows.js';
import { readKeyValue } from './proto-common.js';
import { UNKNOWN_SERVICE, spanKind, statusCode } from './values.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, delimitedEnd, expectEnd, readHex, tagOf } from './wire.js';
import { readString } from './wire-string.js';
import type { WireReader } from './wire.js';

/** The Span message of opentelemetry/proto/trace/v1/trace.proto, with its events, links and status. */

const SPAN_TRACE_ID = tagOf(1, WIRE_LEN);
const SPAN_SPAN_ID = tagOf(2, WIRE_LEN);
const SPAN_TRACE_STATE = tagOf(3, WIRE_LEN);
const SPAN_PARENT_SPAN_ID = tagOf(4, WIRE_LEN);
const SPAN_NAME = tagOf(5, WIRE_LEN);
const SPAN_KIND = tagOf(6, WIRE_VARINT);
const SPAN_START = tagOf(7, WIRE_FIXED64);
const SPAN_END = tagOf(8, WIRE_FIXED64);
const SPAN_ATTRIBUTES = tagOf(9, WIRE_LEN);
const SPAN_EVENTS = tagOf(11, WIRE_LEN);
const SPAN_LINKS = tagOf(13, WIRE_LEN);
const SPAN_STATUS = tagOf(15, WIRE_LEN);

const EVENT_TIME = tagOf(1, WIRE_FIXED64);
const EVENT_NAME = tagOf(2, WIRE_LEN);
const EVENT_ATTRIBUTES = tagOf(3, WIRE_LEN);

const LINK_TRACE_ID = tagOf(1, WIRE_LEN);
const LINK_SPAN_ID = tagOf(2, WIRE_LEN);
const LINK_TRACE_STATE = tagOf(3, WIRE_LEN);
const LINK_ATTRIBUTES = tagOf(4, WIRE_LEN);

const STATUS_MESSAGE = tagOf(2, WIRE_LEN);
const STATUS_CODE = tagOf(3, WIRE_VARINT);

/** Shared by rows until their resource is known; replaced before the rows leave. */
const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** One Span; `parentSpanId` holds the raw hex ('' when absent) until validated. */
export function readSpan(r: WireReader, end: number): SpanRow {
  const row: SpanRow = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    service: UNKNOWN_SERVICE,
    name: '',
    kind: 0,
    startNs: 0n,
    endNs: 0n,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    resource: NO_ATTRIBUTES,
    scopeName: '',
    scopeVersion: '',
    containerId: null,
  };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SPAN_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), row.attributes, 0);
    else if (tag === SPAN_TRACE_ID) row.traceId = readHex(r, end);
    else if (tag === SPAN_SPAN_ID) row.spanId = readHex(r, end);
    else if (tag === SPAN_PARENT_SPAN_ID) row.parentSpanId = readHex(r, end);
    else if (tag === SPAN_NAME) row.name = readString(r);
    else if (tag === SPAN_KIND) row.kind = spanKind(r.uint32());
    else if (tag === SPAN_START) row.startNs = r.fixed64Exact();
    else if (tag === SPAN_END) row.endNs = r.fixed64Exact();
    else if (tag === SPAN_EVENTS) row.events.push(readEvent(r, delimitedEnd(r, end)));
    else if (tag === SPAN_LINKS) row.links.push(readLink(r, delimitedEnd(r, end)));
    else if (tag === SPAN_STATUS) readStatus(r, delimitedEnd(r, end), row);
    else if (tag === SPAN_TRACE_STATE) row.traceState = readString(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return row;
}

function readEvent(r: WireReader, end: number): SpanEventRow {
  const event: SpanEventRow = { timeNs: 0n, name: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === EVENT_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), event.attributes, 0);
    else if (tag === EVENT_TIME) event.timeNs = r.fixed64Exact();
    else if (tag === EVENT_NAME) event.name = readString(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return event;
}

function readLink(r: WireReader, end: number): SpanLinkRow {
  const link: SpanLinkRow = { traceId: '', spanId: '', traceState: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === LINK_TRACE_ID) link.traceId = readHex(r, end);
    else if (tag === LINK_SPAN_ID) link.spanId = readHex(r, end);
    else if (tag === LINK_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), link.attributes, 0);
    else if (tag === LINK_TRACE_STATE) link.traceState = readString(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return link;
}

function readStatus(r: WireReader, end: number, row: SpanRow): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === STATUS_CODE) row.statusCode = statusCode(r.uint32());
    else if (tag === STATUS_MESSAGE) row.statusMessage = readString(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
}
