import type { Attributes, LogRow } from '../../model/rows.js';
import { anyValueOf, attributesField, resourceOf, scopeOf } from './json-common.js';
import { arrayField, asObject, enumField, hexIdField, stringField, uint64Field, within } from './json-shape.js';
import type { JsonObject } from './json-shape.js';
import { logRow } from './log-row.js';
import { Rejections, logIdsProblem } from './validate.js';
import { bodyText, serviceOf, severityNumber } from './values.js';

/** OTLP/JSON ExportLogsServiceRequest to LogRows. */

/** SEVERITY_NUMBER_TRACE = 1 ... SEVERITY_NUMBER_FATAL4 = 24, in steps of four per level. */
const SEVERITY_NAMES: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, index) =>
    ['', '2', '3', '4'].map((suffix, step): [string, number] => [`SEVERITY_NUMBER_${level}${suffix}`, index * 4 + step + 1]),
  ),
]);

interface Context {
  rows: LogRow[];
  rejections: Rejections;
  nowNs: bigint;
  resource: Attributes;
  service: string;
  scopeName: string;
}

/** Maps a parsed request; throws ShapeError when it is not an ExportLogsServiceRequest. */
export function decodeLogsJson(root: unknown, nowNs: bigint): { rows: LogRow[]; rejections: Rejections } {
  const request = asObject(root, 'the request body');
  const resourceLogs = arrayField(request, 'resourceLogs');
  const context: Context = { rows: [], rejections: new Rejections('log record'), nowNs, resource: {}, service: '', scopeName: '' };
  for (let r = 0; r < resourceLogs.length; r++) {
    try {
      const item = asObject(resourceLogs[r], 'ResourceLogs');
      context.resource = resourceOf(item);
      context.service = serviceOf(context.resource);
      const scopeLogs = arrayField(item, 'scopeLogs');
      for (let s = 0; s < scopeLogs.length; s++) {
        try {
          readScopeLogs(asObject(scopeLogs[s], 'ScopeLogs'), context, r, s);
        } catch (error) {
          throw within(error, `scopeLogs[${s}]`);
        }
      }
    } catch (error) {
      throw within(error, `resourceLogs[${r}]`);
    }
  }
  return { rows: context.rows, rejections: context.rejections };
}

function readScopeLogs(scopeLogs: JsonObject, context: Context, resourceIndex: number, scopeIndex: number): void {
  context.scopeName = scopeOf(scopeLogs).name;
  const records = arrayField(scopeLogs, 'logRecords');
  for (let i = 0; i < records.length; i++) {
    let record: LogRow | string;
    try {
      record = logRecordOf(asObject(records[i], 'LogRecord'), context);
    } catch (error) {
      throw within(error, `logRecords[${i}]`);
    }
    if (typeof record === 'string') context.rejections.add(record, i, scopeIndex, resourceIndex);
    else context.rows.push(record);
  }
}

/** One record as a row, or why it cannot be stored (a bad shape throws instead). */
function logRecordOf(record: JsonObject, context: Context): LogRow | string {
  const traceId = hexIdField(record, 'traceId');
  const spanId = hexIdField(record, 'spanId');
  const timeNs = uint64Field(record, 'timeUnixNano');
  const observedTimeNs = uint64Field(record, 'observedTimeUnixNano');
  const severity = severityNumber(enumField(record, 'severityNumber', SEVERITY_NAMES));
  const severityText = stringField(record, 'severityText');
  let body: string;
  try {
    body = bodyText(anyValueOf(record.body, 0));
  } catch (error) {
    throw within(error, 'body');
  }
  const attributes = attributesField(record);
  const problem = logIdsProblem(traceId, spanId);
  if (problem !== null) return problem;
  return logRow(
    { timeNs, observedTimeNs, traceId, spanId, severityNumber: severity, severityText, body, attributes },
    context.nowNs,
    context.resource,
    context.service,
    context.scopeName,
  );
}
