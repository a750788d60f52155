/**
 * Decodes OTLP/protobuf ExportMetricsServiceRequest bodies for the SDK's tests with protobufjs,
 * from the message definitions of opentelemetry-proto (v1, metrics/common/resource; the fields
 * the tests read, field numbers as upstream — unknown fields such as exemplars are skipped).
 * Independent of the collector's own decoder, which is what it must not be tested with.
 * otlp-metrics-decode.test.ts checks it against bytes made by the official serializer.
 */
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package opentelemetry.proto;
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message Metric {
  string name = 1; string description = 2; string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; ExponentialHistogram exponential_histogram = 10; Summary summary = 11; }
}
enum AggregationTemporality { AGGREGATION_TEMPORALITY_UNSPECIFIED = 0; AGGREGATION_TEMPORALITY_DELTA = 1; AGGREGATION_TEMPORALITY_CUMULATIVE = 2; }
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; }
message ExponentialHistogram { AggregationTemporality aggregation_temporality = 2; }
message Summary { }
message NumberDataPoint {
  repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
  uint32 flags = 8;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; fixed64 count = 4;
  optional double sum = 5; repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7; uint32 flags = 10;
  optional double min = 11; optional double max = 12;
}
`;

const REQUEST = protobuf.parse(SCHEMA, { keepCase: false }).root.lookupType('opentelemetry.proto.ExportMetricsServiceRequest');

export type AttributeValue = string | number | boolean;

export interface DecodedPoint {
  attributes: Record<string, AttributeValue>;
  timeUnixNano: bigint;
  /** Gauge and sum points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
}

export interface DecodedMetric {
  resource: Record<string, AttributeValue>;
  scope: string;
  name: string;
  unit: string;
  type: 'gauge' | 'sum' | 'histogram' | 'other';
  /** Sums and histograms: 'cumulative' or 'delta'. */
  temporality?: 'cumulative' | 'delta' | 'unspecified';
  isMonotonic?: boolean;
  points: DecodedPoint[];
}

/** Plain objects as protobufjs toObject() gives them: 64-bit values as strings, enums as numbers. */
type Obj = Record<string, unknown>;
const TO_OBJECT = { longs: String, enums: Number, defaults: false, arrays: true, oneofs: false } as const;

function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter((item): item is Obj => typeof item === 'object' && item !== null) : [];
}

function scalar(value: unknown): AttributeValue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Obj;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (typeof v.intValue === 'string') return Number(v.intValue);
  if (typeof v.doubleValue === 'number') return v.doubleValue;
  return undefined;
}

function attributes(list: unknown): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const kv of objects(list)) {
    const value = scalar(kv.value);
    if (typeof kv.key === 'string' && value !== undefined) result[kv.key] = value;
  }
  return result;
}

const TEMPORALITY = ['unspecified', 'delta', 'cumulative'] as const;

function point(p: Obj, kind: 'number' | 'histogram'): DecodedPoint {
  const base = { attributes: attributes(p.attributes), timeUnixNano: BigInt(typeof p.timeUnixNano === 'string' ? p.timeUnixNano : 0) };
  if (kind === 'histogram') return { ...base, count: Number(p.count ?? 0), ...(typeof p.sum === 'number' ? { sum: p.sum } : {}) };
  const value = typeof p.asDouble === 'number' ? p.asDouble : typeof p.asInt === 'string' ? Number(p.asInt) : undefined;
  return value === undefined ? base : { ...base, value };
}

function metric(m: Obj, resource: Record<string, AttributeValue>, scope: string): DecodedMetric {
  const head = { resource, scope, name: String(m.name ?? ''), unit: String(m.unit ?? '') };
  const data = (key: string): Obj | undefined => (typeof m[key] === 'object' && m[key] !== null ? (m[key] as Obj) : undefined);
  const temporality = (d: Obj) => TEMPORALITY[Number(d.aggregationTemporality ?? 0)] ?? 'unspecified';
  const gauge = data('gauge');
  if (gauge !== undefined) return { ...head, type: 'gauge', points: objects(gauge.dataPoints).map((p) => point(p, 'number')) };
  const sum = data('sum');
  if (sum !== undefined) return { ...head, type: 'sum', temporality: temporality(sum), isMonotonic: sum.isMonotonic === true, points: objects(sum.dataPoints).map((p) => point(p, 'number')) };
  const histogram = data('histogram');
  if (histogram !== undefined) return { ...head, type: 'histogram', temporality: temporality(histogram), points: objects(histogram.dataPoints).map((p) => point(p, 'histogram')) };
  return { ...head, type: 'other', points: [] };
}

/** Every metric of one request body, each with its resource's attributes and scope name. Throws on bytes that are not a request. */
export function decodeMetricsRequest(body: Uint8Array): DecodedMetric[] {
  const request = REQUEST.toObject(REQUEST.decode(body), TO_OBJECT) as Obj;
  const result: DecodedMetric[] = [];
  for (const rm of objects(request.resourceMetrics)) {
    const resource = attributes(typeof rm.resource === 'object' && rm.resource !== null ? (rm.resource as Obj).attributes : undefined);
    for (const sm of objects(rm.scopeMetrics)) {
      const scope = typeof sm.scope === 'object' && sm.scope !== null ? String((sm.scope as Obj).name ?? '') : '';
      for (const m of objects(sm.metrics)) result.push(metric(m, resource, scope));
    }
  }
  return result;
}
