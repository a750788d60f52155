import type { Attributes, LogRow } from '../../model/rows.js';
import { optionalId } from './validate.js';

/** A LogRecord's fields as read off the wire (OTLP/protobuf) or out of OTLP/JSON. */
export interface LogRecordFields {
  timeNs: bigint;
  observedTimeNs: bigint;
  traceId: string;
  spanId: string;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Attributes;
}

/** The row of a record whose ids have been checked, with its resource, service and scope. */
export function logRow(
  record: LogRecordFields,
  nowNs: bigint,
  resource: Attributes,
  service: string,
  scopeName: string,
): LogRow {
  // OTLP: 0 means unknown. The collector observed the record now if the sender did not say.
  const observed = record.observedTimeNs === 0n ? nowNs : record.observedTimeNs;
  return {
    timeNs: record.timeNs === 0n ? observed : record.timeNs,
    observedTimeNs: observed,
    traceId: optionalId(record.traceId),
    spanId: optionalId(record.spanId),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    attributes: record.attributes,
    resource,
    service,
    scopeName,
    source: 'otlp',
    containerId: null,
  };
}
