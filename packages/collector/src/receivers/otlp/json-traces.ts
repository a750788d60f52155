import type { Attributes, SpanEventRow, SpanLinkRow, SpanRow } from '../../model/rows.js';
import { attributesField, resourceOf, scopeOf } from './json-common.js';
import {
  arrayField,
  asObject,
  enumField,
  hexIdField,
  objectField,
  stringField,
  uint64Field,
  within,
} from './json-shape.js';
import type { JsonObject } from './json-shape.js';
import { Rejections, optionalId, spanProblem } from './validate.js';
import { serviceOf, spanKind, statusCode } from './values.js';

/** OTLP/JSON ExportTraceServiceRequest to SpanRows (lowerCamelCase keys, hex ids). */

const SPAN_KIND_NAMES: ReadonlyMap<string, number> = new Map([
  ['SPAN_KIND_UNSPECIFIED', 0],
  ['SPAN_KIND_INTERNAL', 1],
  ['SPAN_KIND_SERVER', 2],
  ['SPAN_KIND_CLIENT', 3],
  ['SPAN_KIND_PRODUCER', 4],
  ['SPAN_KIND_CONSUMER', 5],
]);

const STATUS_CODE_NAMES: ReadonlyMap<string, number> = new Map([
  ['STATUS_CODE_UNSET', 0],
  ['STATUS_CODE_OK', 1],
  ['STATUS_CODE_ERROR', 2],
]);

interface Context {
  rows: SpanRow[];
  rejections: Rejections;
  resource: Attributes;
  service: string;
  scopeName: string;
  scopeVersion: string;
}

/** Maps a parsed request; throws ShapeError when it is not an ExportTraceServiceRequest. */
export function decodeTraceJson(root: unknown): { rows: SpanRow[]; rejections: Rejections } {
  const request = asObject(root, 'the request body');
  const resourceSpans = arrayField(request, 'resourceSpans');
  const context: Context = { rows: [], rejections: new Rejections('span'), resource: {}, service: '', scopeName: '', scopeVersion: '' };
  for (let r = 0; r < resourceSpans.length; r++) {
    try {
      const item = asObject(resourceSpans[r], 'ResourceSpans');
      context.resource = resourceOf(item);
      context.service = serviceOf(context.resource);
      const scopeSpans = arrayField(item, 'scopeSpans');
      for (let s = 0; s < scopeSpans.length; s++) {
        try {
          readScopeSpans(asObject(scopeSpans[s], 'ScopeSpans'), context, r, s);
        } catch (error) {
          throw within(error, `scopeSpans[${s}]`);
        }
      }
    } catch (error) {
      throw within(error, `resourceSpans[${r}]`);
    }
  }
  return { rows: context.rows, rejections: context.rejections };
}

function readScopeSpans(scopeSpans: JsonObject, context: Context, resourceIndex: number, scopeIndex: number): void {
  const scope = scopeOf(scopeSpans);
  context.scopeName = scope.name;
  context.scopeVersion = scope.version;
  const spans = arrayField(scopeSpans, 'spans');
  for (let i = 0; i < spans.length; i++) {
    let span: SpanRow | string;
    try {
      span = spanOf(asObject(spans[i], 'Span'), context);
    } catch (error) {
      throw within(error, `spans[${i}]`);
    }
    if (typeof span === 'string') context.rejections.add(span, i, scopeIndex, resourceIndex);
    else context.rows.push(span);
  }
}

/** One span as a row, or why it cannot be stored (a bad shape throws instead). */
function spanOf(span: JsonObject, context: Context): SpanRow | string {
  const traceId = hexIdField(span, 'traceId');
  const spanId = hexIdField(span, 'spanId');
  const parentSpanId = hexIdField(span, 'parentSpanId');
  const startNs = uint64Field(span, 'startTimeUnixNano');
  const endNs = uint64Field(span, 'endTimeUnixNano');
  const status = objectField(span, 'status');
  const row: SpanRow = {
    traceId,
    spanId,
    parentSpanId: optionalId(parentSpanId),
    traceState: stringField(span, 'traceState'),
    service: context.service,
    name: stringField(span, 'name'),
    kind: spanKind(enumField(span, 'kind', SPAN_KIND_NAMES)),
    startNs,
    endNs,
    statusCode: status === undefined ? 0 : statusCode(enumField(status, 'code', STATUS_CODE_NAMES)),
    statusMessage: status === undefined ? '' : stringField(status, 'message'),
    attributes: attributesField(span),
    events: listOf(span, 'events', eventOf),
    links: listOf(span, 'links', linkOf),
    resource: context.resource,
    scopeName: context.scopeName,
    scopeVersion: context.scopeVersion,
    containerId: null,
  };
  return spanProblem(traceId, spanId, parentSpanId, startNs, endNs, row.links) ?? row;
}

function listOf<T>(span: JsonObject, key: string, itemOf: (item: JsonObject) => T): T[] {
  const items = arrayField(span, key);
  const out: T[] = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) {
    try {
      out[i] = itemOf(asObject(items[i], key === 'events' ? 'Event' : 'Link'));
    } catch (error) {
      throw within(error, `${key}[${i}]`);
    }
  }
  return out;
}

function eventOf(event: JsonObject): SpanEventRow {
  return {
    timeNs: uint64Field(event, 'timeUnixNano'),
    name: stringField(event, 'name'),
    attributes: attributesField(event),
  };
}

function linkOf(link: JsonObject): SpanLinkRow {
  return {
    traceId: hexIdField(link, 'traceId'),
    spanId: hexIdField(link, 'spanId'),
    traceState: stringField(link, 'traceState'),
    attributes: attributesField(link),
  };
}
