import type { AttributeValue, Attributes, LogRow } from '../../model/rows.js';
import { readAnyValue, readKeyValue } from './proto-common.js';
import type { Scope } from './proto-common.js';
import { logRow } from './log-row.js';
import { decodeEnvelopes } from './proto-envelope.js';
import type { EnvelopeItems } from './proto-envelope.js';
import { Rejections, logIdsProblem } from './validate.js';
import { UNKNOWN_SERVICE, bodyText, severityNumber } from './values.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, delimitedEnd, expectEnd, readHex, tagOf } from './wire.js';
import { readString } from './wire-string.js';
import type { WireReader } from './wire.js';

/**
 * ExportLogsServiceRequest (opentelemetry/proto/collector/logs/v1, logs/v1/logs.proto)
 * decoded straight to LogRows: the resource and scope levels are in proto-envelope.ts.
 */

const LOG_TIME = tagOf(1, WIRE_FIXED64);
const LOG_SEVERITY_NUMBER = tagOf(2, WIRE_VARINT);
const LOG_SEVERITY_TEXT = tagOf(3, WIRE_LEN);
const LOG_BODY = tagOf(5, WIRE_LEN);
const LOG_ATTRIBUTES = tagOf(6, WIRE_LEN);
const LOG_TRACE_ID = tagOf(9, WIRE_LEN);
const LOG_SPAN_ID = tagOf(10, WIRE_LEN);
const LOG_OBSERVED_TIME = tagOf(11, WIRE_FIXED64);

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** Reads the log records of the envelope; the time of the request stands in for unknown observed times. */
class LogRecords implements EnvelopeItems<LogRow> {
  constructor(private readonly nowNs: bigint) {}

  readItem(r: WireReader, end: number, rows: LogRow[], rejections: Rejections, recordIndex: number, scopeIndex: number, resourceIndex: number): void {
    const record = readLogRecord(r, end, this.nowNs);
    if (typeof record === 'string') rejections.add(record, recordIndex, scopeIndex, resourceIndex);
    else rows.push(record);
  }

  setScope(row: LogRow, scope: Scope): void {
    row.scopeName = scope.name;
  }
}

/** Decodes a whole request; throws WireError (or a reader error) when it is malformed. */
export function decodeLogsRequest(r: WireReader, nowNs: bigint): { rows: LogRow[]; rejections: Rejections } {
  const rows: LogRow[] = [];
  const rejections = new Rejections('log record');
  decodeEnvelopes(r, new LogRecords(nowNs), rows, rejections);
  return { rows, rejections };
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
  return logRow(
    { timeNs, observedTimeNs, traceId, spanId, severityNumber: severity, severityText, body: bodyText(body), attributes },
    nowNs,
    NO_ATTRIBUTES,
    UNKNOWN_SERVICE,
    '',
  );
}
