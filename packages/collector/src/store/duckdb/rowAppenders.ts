import { INTEGER, LIST, SMALLINT } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import type {
  ContainerEventRow,
  ContainerRow,
  ContainerSampleRow,
  LogRow,
  MetricPointRow,
  SpanRow,
} from '../../model/rows.js';
import { encodeAttributes, encodeEvents, encodeLinks } from '../json-columns.js';
import { encodeDistribution } from '../metric-json.js';
import type { SpanMinute } from './span-minutes.js';
import type { TraceRange } from './trace-index.js';

/*
 * One row of each table into an appender, in the column order of schema.ts. A value that
 * does not fit its column (a bigint beyond int64, a kind beyond TINYINT) throws here and
 * fails the whole batch, which append.ts rolls back.
 */

function varcharOrNull(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

function doubleOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendDouble(value);
}

function bigIntOrNull(appender: DuckDBAppender, value: bigint | null): void {
  if (value === null) appender.appendNull();
  else appender.appendBigInt(value);
}

/**
 * A span appender for one batch. The decoders give every span of one resource the same
 * object, so its JSON is made once per run of such spans rather than once per row
 * (measured ~0.5 µs per row with events/links '[]' below, of ~4.5 µs).
 */
export function spanAppender(): (a: DuckDBAppender, s: SpanRow) => void {
  let lastResource: SpanRow['resource'] | undefined;
  let lastResourceJson = '';
  return (a, s) => {
    if (s.resource !== lastResource) {
      lastResource = s.resource;
      lastResourceJson = encodeAttributes(s.resource);
    }
    appendSpan(a, s, lastResourceJson);
  };
}

function appendSpan(a: DuckDBAppender, s: SpanRow, resourceJson: string): void {
  a.appendVarchar(s.traceId);
  a.appendVarchar(s.spanId);
  varcharOrNull(a, s.parentSpanId);
  a.appendVarchar(s.traceState);
  a.appendVarchar(s.service);
  a.appendVarchar(s.name);
  a.appendTinyInt(s.kind);
  a.appendBigInt(s.startNs);
  a.appendBigInt(s.endNs);
  a.appendBigInt(s.endNs - s.startNs);
  a.appendTinyInt(s.statusCode);
  a.appendVarchar(s.statusMessage);
  a.appendVarchar(encodeAttributes(s.attributes));
  a.appendVarchar(encodeEvents(s.events));
  a.appendVarchar(encodeLinks(s.links));
  a.appendVarchar(resourceJson);
  a.appendVarchar(s.scopeName);
  a.appendVarchar(s.scopeVersion);
  varcharOrNull(a, s.containerId);
}

export function appendTraceRange(a: DuckDBAppender, r: TraceRange): void {
  a.appendUBigInt(r.key);
  a.appendBigInt(r.minStartNs);
  a.appendBigInt(r.maxStartNs);
}

const BUCKET_LIST = LIST(SMALLINT);
const COUNT_LIST = LIST(INTEGER);

export function appendSpanMinute(a: DuckDBAppender, m: SpanMinute): void {
  a.appendBigInt(m.minuteNs);
  a.appendVarchar(m.service);
  a.appendInteger(m.spans);
  a.appendInteger(m.errors);
  a.appendList(m.buckets, BUCKET_LIST);
  a.appendList(m.counts, COUNT_LIST);
}

export function appendLog(a: DuckDBAppender, l: LogRow): void {
  a.appendBigInt(l.timeNs);
  a.appendBigInt(l.observedTimeNs);
  varcharOrNull(a, l.traceId);
  varcharOrNull(a, l.spanId);
  a.appendTinyInt(l.severityNumber);
  a.appendVarchar(l.severityText);
  a.appendVarchar(l.body);
  a.appendVarchar(encodeAttributes(l.attributes));
  a.appendVarchar(encodeAttributes(l.resource));
  a.appendVarchar(l.service);
  a.appendVarchar(l.scopeName);
  a.appendVarchar(l.source);
  varcharOrNull(a, l.containerId);
}

export function appendSample(a: DuckDBAppender, s: ContainerSampleRow): void {
  a.appendVarchar(s.containerId);
  a.appendBigInt(s.timeNs);
  for (const value of [
    s.cpuPercent, s.cpuThrottledMs, s.memoryBytes, s.memoryLimitBytes, s.netRxBytes,
    s.netTxBytes, s.blkReadBytes, s.blkWriteBytes, s.pids,
    // the columns of schema version 2, in SAMPLE_COLUMNS_SINCE_V2's order
    s.cpuPeriods, s.cpuThrottledPeriods, s.cpuLimitCores, s.memoryFailcnt, s.memoryOomKills,
    s.cpuPressureSomeMs, s.cpuPressureFullMs, s.memoryPressureSomeMs, s.memoryPressureFullMs,
    s.ioPressureSomeMs, s.ioPressureFullMs,
  ]) {
    doubleOrNull(a, value);
  }
}

export function appendContainer(a: DuckDBAppender, c: ContainerRow): void {
  a.appendVarchar(c.id);
  a.appendVarchar(c.name);
  a.appendVarchar(c.image);
  a.appendVarchar(c.hostname);
  varcharOrNull(a, c.service);
  varcharOrNull(a, c.project);
  a.appendVarchar(c.state);
  bigIntOrNull(a, c.startedAtNs);
  bigIntOrNull(a, c.finishedAtNs);
  a.appendInteger(c.restartCount);
  doubleOrNull(a, c.cpuLimit);
  doubleOrNull(a, c.memoryLimitBytes);
  a.appendVarchar(encodeAttributes(c.labels));
  a.appendBigInt(c.updatedAtNs);
  a.appendVarchar(c.host);
}

export function appendEvent(a: DuckDBAppender, e: ContainerEventRow): void {
  a.appendVarchar(e.containerId);
  a.appendBigInt(e.timeNs);
  a.appendVarchar(e.action);
  a.appendVarchar(encodeAttributes(e.attributes));
}

/** A metric point appender for one batch: as for spans, one resource JSON per run of points. */
export function metricPointAppender(): (a: DuckDBAppender, m: MetricPointRow) => void {
  let lastResource: MetricPointRow['resource'] | undefined;
  let lastResourceJson = '';
  return (a, m) => {
    if (m.resource !== lastResource) {
      lastResource = m.resource;
      lastResourceJson = encodeAttributes(m.resource);
    }
    appendMetricPoint(a, m, lastResourceJson);
  };
}

function appendMetricPoint(a: DuckDBAppender, m: MetricPointRow, resourceJson: string): void {
  a.appendBigInt(m.timeNs);
  a.appendBigInt(m.startTimeNs);
  a.appendVarchar(m.service);
  a.appendVarchar(m.name);
  a.appendVarchar(m.description);
  a.appendVarchar(m.unit);
  a.appendVarchar(m.type);
  a.appendVarchar(m.temporality);
  a.appendBoolean(m.monotonic);
  doubleOrNull(a, m.value);
  a.appendBoolean(m.valueIsInt);
  doubleOrNull(a, m.count);
  doubleOrNull(a, m.sum);
  doubleOrNull(a, m.min);
  doubleOrNull(a, m.max);
  varcharOrNull(a, encodeDistribution(m.distribution));
  a.appendInteger(m.flags);
  a.appendVarchar(encodeAttributes(m.attributes));
  a.appendVarchar(resourceJson);
  a.appendVarchar(m.scopeName);
  a.appendVarchar(m.scopeVersion);
  varcharOrNull(a, m.containerId);
}
