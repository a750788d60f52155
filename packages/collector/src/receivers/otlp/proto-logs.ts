import type { AttributeValue, Attributes, LogRow } from '../../model/rows.js';
import { readAnyValue, readKeyValue, readResource, readScope } from './proto-common.js';
import type { Scope } from './proto-common.js';
import { Rejections, logIdsProblem, optionalId } from './validate.js';
import { UNKNOWN_SERVICE, bodyText, serviceOf, severityNumber } from './values.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, delimitedEnd, expectEnd, readHex, tagOf } from './wire.js';
import { readString } from './wire-string.js';
import type { WireReader } from './wire.js';

/**
 * ExportLogsServiceRequest (opentelemetry/proto/collector/logs/v1, logs/v1/logs.proto)
 * decoded straight to LogRows.
 */

const REQUEST_RESOURCE_LOGS = tagOf(1, WIRE_LEN);
const RESOURCE_RESOURCE = tagOf(1, WIRE_LEN);
const RESOURCE_SCOPE_LOGS = tagOf(2, WIRE_LEN);
const SCOPE_SCOPE = tagOf(1, WIRE_LEN);
const SCOPE_LOG_RECORDS = tagOf(2, WIRE_LEN);

const LOG_TIME = tagOf(1, WIRE_FIXED64);
const LOG_SEVERITY_NUMBER = tagOf(2, WIRE_VARINT);
const LOG_SEVERITY_TEXT = tagOf(3, WIRE_LEN);
const LOG_BODY = tagOf(5, WIRE_LEN);
const LOG_ATTRIBUTES = tagOf(6, WIRE_LEN);
const LOG_TRACE_ID = tagOf(9, WIRE_LEN);
const LOG_SPAN_ID = tagOf(10, WIRE_LEN);
const LOG_OBSERVED_TIME = tagOf(11, WIRE_FIXED64);

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** Decodes a whole request; throws WireError (or a reader error) when it is malformed. */
export function decodeLogsRequest(r: WireReader, nowNs: bigint): { rows: LogRow[]; rejections: Rejections } {
  const rows: LogRow[] = [];
  const rejections = new Rejections('log record');
  let resourceIndex = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === REQUEST_RESOURCE_LOGS) {
      readResourceLogs(r, delimitedEnd(r, r.len), nowNs, rows, rejections, resourceIndex++);
    } else r.skipField(tag);
  }
  return { rows, rejections };
}

function readResourceLogs(
  r: WireReader,
  end: number,
  nowNs: bigint,
  rows: LogRow[],
  rejections: Rejections,
  resourceIndex: number,
): void {
  const first = rows.length;
  let resource: Attributes = {};
  let scopeIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === RESOURCE_SCOPE_LOGS) {
      readScopeLogs(r, delimitedEnd(r, end), nowNs, rows, rejections, resourceIndex, scopeIndex++);
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

function readScopeLogs(
  r: WireReader,
  end: number,
  nowNs: bigint,
  rows: LogRow[],
  rejections: Rejections,
  resourceIndex: number,
  scopeIndex: number,
): void {
  const first = rows.length;
  let scope: Scope | null = null;
  let recordIndex = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SCOPE_LOG_RECORDS) {
      const record = readLogRecord(r, delimitedEnd(r, end), nowNs);
      if (typeof record === 'string') rejections.add(record, recordIndex, scopeIndex, resourceIndex);
      else rows.push(record);
      recordIndex++;
    } else if (tag === SCOPE_SCOPE) scope = readScope(r, delimitedEnd(r, end));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  if (scope === null) return;
  for (let i = first; i < rows.length; i++) rows[i]!.scopeName = scope.name;
}

/** One LogRecord as a row, or why it cannot be stored. */
function readLogRecord(r: WireReader, end: number, nowNs: bigint): LogRow | string {
  let timeNs = 0n;
  let observedTimeNs = 0n;
  let traceId = '';
  let spanId = '';
  let severity = 0;
  let severityText = '';
  let body: AttributeValue | undefined;
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === LOG_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), attributes, 0);
    else if (tag === LOG_BODY) body = readAnyValue(r, delimitedEnd(r, end), 0);
    else if (tag === LOG_TIME) timeNs = r.fixed64Exact();
    else if (tag === LOG_OBSERVED_TIME) observedTimeNs = r.fixed64Exact();
    else if (tag === LOG_SEVERITY_NUMBER) severity = severityNumber(r.uint32());
    else if (tag === LOG_SEVERITY_TEXT) severityText = readString(r);
    else if (tag === LOG_TRACE_ID) traceId = readHex(r, end);
    else if (tag === LOG_SPAN_ID) spanId = readHex(r, end);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  const problem = logIdsProblem(traceId, spanId);
  if (problem !== null) return problem;
  // OTLP: 0 means unknown. The collector observed the record now if the sender did not say.
  const observed = observedTimeNs === 0n ? nowNs : observedTimeNs;
  return {
    timeNs: timeNs === 0n ? observed : timeNs,
    observedTimeNs: observed,
    traceId: optionalId(traceId),
    spanId: optionalId(spanId),
    severityNumber: severity,
    severityText,
    body: bodyText(body),
    attributes,
    resource: NO_ATTRIBUTES,
    service: UNKNOWN_SERVICE,
    scopeName: '',
    source: 'otlp',
    containerId: null,
  };
}
