import type { ContainerEventRow, ContainerRow, ContainerSampleRow, LogRow, MetricPointRow, SpanRow } from '../../model/rows.js';
import { encodeAttributes, encodeEvents, encodeLinks } from '../json-columns.js';
import { encodeDistribution } from '../metric-json.js';
import { SAMPLE_MEASURES } from './schema.js';

/*
 * Rows as JSONEachRow records for the tables of schema.ts. Int64 nanoseconds go as decimal
 * strings (a JSON number loses them past 2^53; ClickHouse parses the quoted form), doubles
 * that JSON cannot hold (NaN, ±Infinity: OTLP doubles may be) as the texts ClickHouse reads.
 */

type Record_ = Record<string, string | number | boolean | null>;

const int64 = (value: bigint): string => value.toString();
const int64OrNull = (value: bigint | null): string | null => (value === null ? null : value.toString());

/** A Float64: finite numbers as they are, the rest as 'NaN' / 'Infinity' / '-Infinity'. */
export function float64(value: number | null): number | string | null {
  if (value === null || Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** One JSON text per run of rows sharing a resource object, as the DuckDB appender does. */
function resourceJson<T extends { resource: SpanRow['resource'] }>(): (row: T) => string {
  let last: T['resource'] | undefined;
  let text = '';
  return (row) => {
    if (row.resource !== last) {
      last = row.resource;
      text = encodeAttributes(row.resource);
    }
    return text;
  };
}

export function spanRecords(hostName: string, rows: readonly SpanRow[]): Record_[] {
  const resource = resourceJson<SpanRow>();
  return rows.map((s) => ({
    host_name: hostName,
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId,
    trace_state: s.traceState,
    service: s.service,
    name: s.name,
    kind: s.kind,
    start_ns: int64(s.startNs),
    end_ns: int64(s.endNs),
    duration_ns: int64(s.endNs - s.startNs),
    status_code: s.statusCode,
    status_message: s.statusMessage,
    attributes: encodeAttributes(s.attributes),
    events: encodeEvents(s.events),
    links: encodeLinks(s.links),
    resource: resource(s),
    scope_name: s.scopeName,
    scope_version: s.scopeVersion,
    container_id: s.containerId,
  }));
}

export function logRecords(hostName: string, rows: readonly LogRow[]): Record_[] {
  const resource = resourceJson<LogRow>();
  return rows.map((l) => ({
    host_name: hostName,
    time_ns: int64(l.timeNs),
    observed_time_ns: int64(l.observedTimeNs),
    trace_id: l.traceId,
    span_id: l.spanId,
    severity_number: l.severityNumber,
    severity_text: l.severityText,
    body: l.body,
    attributes: encodeAttributes(l.attributes),
    resource: resource(l),
    service: l.service,
    scope_name: l.scopeName,
    source: l.source,
    container_id: l.containerId,
  }));
}

export function sampleRecords(hostName: string, rows: readonly ContainerSampleRow[]): Record_[] {
  return rows.map((s) => {
    const record: Record_ = { host_name: hostName, container_id: s.containerId, time_ns: int64(s.timeNs) };
    for (const [column, field] of SAMPLE_MEASURES) record[column] = float64(s[field]);
    return record;
  });
}

export function containerRecords(hostName: string, rows: readonly ContainerRow[]): Record_[] {
  return rows.map((c) => ({
    host_name: hostName,
    id: c.id,
    name: c.name,
    image: c.image,
    hostname: c.hostname,
    service: c.service,
    project: c.project,
    state: c.state,
    started_at_ns: int64OrNull(c.startedAtNs),
    finished_at_ns: int64OrNull(c.finishedAtNs),
    restart_count: c.restartCount,
    cpu_limit: float64(c.cpuLimit),
    memory_limit_bytes: float64(c.memoryLimitBytes),
    labels: encodeAttributes(c.labels),
    updated_at_ns: int64(c.updatedAtNs),
  }));
}

export function eventRecords(hostName: string, rows: readonly ContainerEventRow[]): Record_[] {
  return rows.map((e) => ({
    host_name: hostName,
    container_id: e.containerId,
    time_ns: int64(e.timeNs),
    action: e.action,
    attributes: encodeAttributes(e.attributes),
  }));
}

export function metricPointRecords(hostName: string, rows: readonly MetricPointRow[]): Record_[] {
  const resource = resourceJson<MetricPointRow>();
  return rows.map((m) => ({
    host_name: hostName,
    time_ns: int64(m.timeNs),
    start_time_ns: int64(m.startTimeNs),
    service: m.service,
    name: m.name,
    description: m.description,
    unit: m.unit,
    metric_type: m.type,
    temporality: m.temporality,
    monotonic: m.monotonic,
    value: float64(m.value),
    value_is_int: m.valueIsInt,
    count: float64(m.count),
    sum: float64(m.sum),
    min: float64(m.min),
    max: float64(m.max),
    distribution: encodeDistribution(m.distribution),
    flags: m.flags,
    attributes: encodeAttributes(m.attributes),
    resource: resource(m),
    scope_name: m.scopeName,
    scope_version: m.scopeVersion,
    container_id: m.containerId,
  }));
}
