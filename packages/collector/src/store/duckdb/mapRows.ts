import type {
  ContainerEventRow,
  ContainerRow,
  ContainerSampleRow,
  LogRow,
  LogSource,
  MetricPointRow,
  MetricTemporality,
  MetricType,
  SpanKindNumber,
  SpanRow,
  StatusCodeNumber,
} from '../../model/rows.js';
import type { MetricSummary } from '../Store.js';
import {
  readBigInt,
  readNullableBigInt,
  readNullableNumber,
  readNullableString,
  readNumber,
  readString,
} from './columns.js';
import type { ResultRow } from './columns.js';
import { decodeAttributes, decodeEvents, decodeLinks, decodeStringMap } from '../json-columns.js';
import { decodeDistribution } from '../metric-json.js';

/*
 * Result rows back to model rows. Each SELECT list sits beside the function that reads
 * it so the two cannot drift apart.
 */

export const SPAN_COLUMNS =
  'trace_id, span_id, parent_span_id, trace_state, service, name, kind, start_ns, end_ns, ' +
  'status_code, status_message, attributes, events, links, resource, scope_name, ' +
  'scope_version, container_id';

function spanKind(value: number): SpanKindNumber {
  if (value === 0 || value === 1 || value === 2 || value === 3 || value === 4 || value === 5) {
    return value;
  }
  throw new TypeError(`store column spans.kind: ${value} is not a span kind`);
}

function statusCode(value: number): StatusCodeNumber {
  if (value === 0 || value === 1 || value === 2) return value;
  throw new TypeError(`store column spans.status_code: ${value} is not a status code`);
}

export function spanFromRow(row: ResultRow): SpanRow {
  return {
    traceId: readString(row, 'trace_id'),
    spanId: readString(row, 'span_id'),
    parentSpanId: readNullableString(row, 'parent_span_id'),
    traceState: readString(row, 'trace_state'),
    service: readString(row, 'service'),
    name: readString(row, 'name'),
    kind: spanKind(readNumber(row, 'kind')),
    startNs: readBigInt(row, 'start_ns'),
    endNs: readBigInt(row, 'end_ns'),
    statusCode: statusCode(readNumber(row, 'status_code')),
    statusMessage: readString(row, 'status_message'),
    attributes: decodeAttributes(readString(row, 'attributes'), 'spans.attributes'),
    events: decodeEvents(readString(row, 'events'), 'spans.events'),
    links: decodeLinks(readString(row, 'links'), 'spans.links'),
    resource: decodeAttributes(readString(row, 'resource'), 'spans.resource'),
    scopeName: readString(row, 'scope_name'),
    scopeVersion: readString(row, 'scope_version'),
    containerId: readNullableString(row, 'container_id'),
  };
}

export const LOG_COLUMNS =
  'time_ns, observed_time_ns, trace_id, span_id, severity_number, severity_text, body, ' +
  'attributes, resource, service, scope_name, source, container_id';

const LOG_SOURCES: readonly LogSource[] = ['otlp', 'stdout', 'stderr'];

function logSource(value: string): LogSource {
  const found = LOG_SOURCES.find((s) => s === value);
  if (found === undefined) throw new TypeError(`store column logs.source: unknown ${value}`);
  return found;
}

export function logFromRow(row: ResultRow): LogRow {
  return {
    timeNs: readBigInt(row, 'time_ns'),
    observedTimeNs: readBigInt(row, 'observed_time_ns'),
    traceId: readNullableString(row, 'trace_id'),
    spanId: readNullableString(row, 'span_id'),
    severityNumber: readNumber(row, 'severity_number'),
    severityText: readString(row, 'severity_text'),
    body: readString(row, 'body'),
    attributes: decodeAttributes(readString(row, 'attributes'), 'logs.attributes'),
    resource: decodeAttributes(readString(row, 'resource'), 'logs.resource'),
    service: readString(row, 'service'),
    scopeName: readString(row, 'scope_name'),
    source: logSource(readString(row, 'source')),
    containerId: readNullableString(row, 'container_id'),
  };
}

export const SAMPLE_COLUMNS =
  'container_id, time_ns, cpu_percent, cpu_throttled_ms, memory_bytes, memory_limit_bytes, ' +
  'net_rx_bytes, net_tx_bytes, blk_read_bytes, blk_write_bytes, pids, cpu_periods, ' +
  'cpu_throttled_periods, cpu_limit_cores, memory_failcnt, memory_oom_kills, cpu_pressure_some_ms, ' +
  'cpu_pressure_full_ms, memory_pressure_some_ms, memory_pressure_full_ms, io_pressure_some_ms, ' +
  'io_pressure_full_ms';

export function sampleFromRow(row: ResultRow): ContainerSampleRow {
  return {
    containerId: readString(row, 'container_id'),
    timeNs: readBigInt(row, 'time_ns'),
    cpuPercent: readNullableNumber(row, 'cpu_percent'),
    cpuThrottledMs: readNullableNumber(row, 'cpu_throttled_ms'),
    cpuPeriods: readNullableNumber(row, 'cpu_periods'),
    cpuThrottledPeriods: readNullableNumber(row, 'cpu_throttled_periods'),
    cpuLimitCores: readNullableNumber(row, 'cpu_limit_cores'),
    memoryBytes: readNullableNumber(row, 'memory_bytes'),
    memoryLimitBytes: readNullableNumber(row, 'memory_limit_bytes'),
    memoryFailcnt: readNullableNumber(row, 'memory_failcnt'),
    memoryOomKills: readNullableNumber(row, 'memory_oom_kills'),
    netRxBytes: readNullableNumber(row, 'net_rx_bytes'),
    netTxBytes: readNullableNumber(row, 'net_tx_bytes'),
    blkReadBytes: readNullableNumber(row, 'blk_read_bytes'),
    blkWriteBytes: readNullableNumber(row, 'blk_write_bytes'),
    pids: readNullableNumber(row, 'pids'),
    cpuPressureSomeMs: readNullableNumber(row, 'cpu_pressure_some_ms'),
    cpuPressureFullMs: readNullableNumber(row, 'cpu_pressure_full_ms'),
    memoryPressureSomeMs: readNullableNumber(row, 'memory_pressure_some_ms'),
    memoryPressureFullMs: readNullableNumber(row, 'memory_pressure_full_ms'),
    ioPressureSomeMs: readNullableNumber(row, 'io_pressure_some_ms'),
    ioPressureFullMs: readNullableNumber(row, 'io_pressure_full_ms'),
  };
}

export const CONTAINER_COLUMNS =
  'id, name, image, hostname, service, project, state, started_at_ns, finished_at_ns, ' +
  'restart_count, cpu_limit, memory_limit_bytes, labels, updated_at_ns, host';

export function containerFromRow(row: ResultRow): ContainerRow {
  return {
    id: readString(row, 'id'),
    name: readString(row, 'name'),
    image: readString(row, 'image'),
    hostname: readString(row, 'hostname'),
    service: readNullableString(row, 'service'),
    project: readNullableString(row, 'project'),
    state: readString(row, 'state'),
    startedAtNs: readNullableBigInt(row, 'started_at_ns'),
    finishedAtNs: readNullableBigInt(row, 'finished_at_ns'),
    restartCount: readNumber(row, 'restart_count'),
    cpuLimit: readNullableNumber(row, 'cpu_limit'),
    memoryLimitBytes: readNullableNumber(row, 'memory_limit_bytes'),
    labels: decodeStringMap(readString(row, 'labels'), 'containers.labels'),
    updatedAtNs: readBigInt(row, 'updated_at_ns'),
    host: readString(row, 'host'),
  };
}

export const EVENT_COLUMNS = 'container_id, time_ns, action, attributes';

export function eventFromRow(row: ResultRow): ContainerEventRow {
  return {
    containerId: readString(row, 'container_id'),
    timeNs: readBigInt(row, 'time_ns'),
    action: readString(row, 'action'),
    attributes: decodeStringMap(readString(row, 'attributes'), 'container_events.attributes'),
  };
}

export const METRIC_POINT_COLUMNS =
  'time_ns, start_time_ns, service, name, description, unit, metric_type, temporality, monotonic, ' +
  'value, value_is_int, count, sum, min, max, distribution, flags, attributes, resource, scope_name, ' +
  'scope_version, container_id';

const METRIC_TYPES: readonly MetricType[] = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'];
const METRIC_TEMPORALITIES: readonly MetricTemporality[] = ['unspecified', 'delta', 'cumulative'];

export function metricType(value: string, column: string): MetricType {
  const found = METRIC_TYPES.find((t) => t === value);
  if (found === undefined) throw new TypeError(`store column ${column}: unknown metric type ${value}`);
  return found;
}

export function metricTemporality(value: string, column: string): MetricTemporality {
  const found = METRIC_TEMPORALITIES.find((t) => t === value);
  if (found === undefined) throw new TypeError(`store column ${column}: unknown temporality ${value}`);
  return found;
}

export function readBoolean(row: ResultRow, column: string): boolean {
  const value = row[column];
  if (typeof value !== 'boolean') {
    throw new TypeError(`store column ${column}: expected a boolean, got ${value === undefined ? 'nothing' : typeof value}`);
  }
  return value;
}

/** A metric's identity columns (service, name, description, unit, type, temporality, monotonic). */
export function metricIdentityFromRow(
  row: ResultRow,
): Pick<MetricPointRow, 'service' | 'name' | 'description' | 'unit' | 'type' | 'temporality' | 'monotonic'> {
  return {
    service: readString(row, 'service'),
    name: readString(row, 'name'),
    description: readString(row, 'description'),
    unit: readString(row, 'unit'),
    type: metricType(readString(row, 'metric_type'), 'metric_points.metric_type'),
    temporality: metricTemporality(readString(row, 'temporality'), 'metric_points.temporality'),
    monotonic: readBoolean(row, 'monotonic'),
  };
}

export function metricPointFromRow(row: ResultRow): MetricPointRow {
  return {
    timeNs: readBigInt(row, 'time_ns'),
    startTimeNs: readBigInt(row, 'start_time_ns'),
    ...metricIdentityFromRow(row),
    value: readNullableNumber(row, 'value'),
    valueIsInt: readBoolean(row, 'value_is_int'),
    count: readNullableNumber(row, 'count'),
    sum: readNullableNumber(row, 'sum'),
    min: readNullableNumber(row, 'min'),
    max: readNullableNumber(row, 'max'),
    distribution: decodeDistribution(readNullableString(row, 'distribution'), 'metric_points.distribution'),
    flags: readNumber(row, 'flags'),
    attributes: decodeAttributes(readString(row, 'attributes'), 'metric_points.attributes'),
    resource: decodeAttributes(readString(row, 'resource'), 'metric_points.resource'),
    scopeName: readString(row, 'scope_name'),
    scopeVersion: readString(row, 'scope_version'),
    containerId: readNullableString(row, 'container_id'),
  };
}

/** A row of listMetrics (both stores): the metric's identity and how much of it the range holds. */
export function metricSummaryFromRow(row: ResultRow): MetricSummary {
  return {
    ...metricIdentityFromRow(row),
    pointCount: readNumber(row, 'point_count'),
    seriesCount: readNumber(row, 'series_count'),
    lastTimeNs: readBigInt(row, 'last_time_ns'),
  };
}
