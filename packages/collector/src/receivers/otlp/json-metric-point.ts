import type { ExponentialBuckets, MetricPointRow, MetricType } from '../../model/rows.js';
import { attributesField } from './json-common.js';
import { ShapeError, arrayField, asObject, doubleOf, integerValue, objectField, uint64Field, within } from './json-shape.js';
import type { JsonObject } from './json-shape.js';
import { newPointRow } from './metric-row.js';

/**
 * OTLP/JSON data points (NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint,
 * SummaryDataPoint) to rows, every field checked. 64-bit counts and ints come as decimal
 * strings or numbers and become numbers (rows.ts). Exemplars are not kept (tracedock links
 * metrics to traces through time and service), but must be an array of objects.
 */

/** What every row of one ScopeMetrics shares. */
export interface PointContext {
  resource: MetricPointRow['resource'];
  service: string;
  scopeName: string;
  scopeVersion: string;
}

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const UINT32_MAX = 0xffff_ffff;

/** An int32/uint32 field (flags, scale, offset): a number or decimal string; absent is 0. */
function int32Field(object: JsonObject, key: string, unsigned: boolean): number {
  const value = object[key];
  if (value === undefined || value === null) return 0;
  const n = Number(integerValue(value, key, false));
  if (unsigned ? n < 0 || n > UINT32_MAX : n < INT32_MIN || n > INT32_MAX) {
    throw new ShapeError(`${key} is out of the ${unsigned ? 'uint32' : 'int32'} range: ${n}`);
  }
  return n;
}

/** A uint64 count as a number; absent is 0. */
function countField(object: JsonObject, key: string): number {
  return Number(uint64Field(object, key));
}

/** An optional double (sum, min, max); absent is null. */
function optionalDouble(object: JsonObject, key: string): number | null {
  const value = object[key];
  return value === undefined || value === null ? null : doubleOf(value, key);
}

function listField<T>(object: JsonObject, key: string, itemOf: (value: unknown, name: string) => T): T[] {
  const items = arrayField(object, key);
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = itemOf(items[i], `${key}[${i}]`);
  return out;
}

const countOf = (value: unknown, name: string): number => Number(integerValue(value, name, true));

/** Fields every point has, and the exemplars' shape. */
function pointRow(point: JsonObject, type: MetricType, context: PointContext): MetricPointRow {
  const row = newPointRow(type, context.resource, context.service, context.scopeName, context.scopeVersion);
  row.timeNs = uint64Field(point, 'timeUnixNano');
  row.startTimeNs = uint64Field(point, 'startTimeUnixNano');
  row.flags = int32Field(point, 'flags', true);
  row.attributes = attributesField(point);
  const exemplars = arrayField(point, 'exemplars');
  for (let i = 0; i < exemplars.length; i++) asObject(exemplars[i], `exemplars[${i}]`);
  return row;
}

/** One data point of a Metric of the given type. */
export function pointOf(point: JsonObject, type: MetricType, context: PointContext): MetricPointRow {
  const row = pointRow(point, type, context);
  if (type === 'gauge' || type === 'sum') {
    const asDouble = point.asDouble;
    const asInt = point.asInt;
    const hasDouble = asDouble !== undefined && asDouble !== null;
    const hasInt = asInt !== undefined && asInt !== null;
    if (hasDouble && hasInt) throw new ShapeError('a NumberDataPoint has one of asDouble and asInt, not both');
    if (hasInt) {
      row.value = Number(integerValue(asInt, 'asInt', false));
      row.valueIsInt = true;
    } else if (hasDouble) row.value = doubleOf(asDouble, 'asDouble');
    return row;
  }
  row.count = countField(point, 'count');
  if (type === 'summary') {
    row.sum = optionalDouble(point, 'sum') ?? 0;
    row.distribution = { kind: 'quantiles', quantiles: listField(point, 'quantileValues', quantileOf) };
    return row;
  }
  row.sum = optionalDouble(point, 'sum');
  row.min = optionalDouble(point, 'min');
  row.max = optionalDouble(point, 'max');
  if (type === 'histogram') {
    row.distribution = { kind: 'explicit', bounds: listField(point, 'explicitBounds', doubleOf), counts: listField(point, 'bucketCounts', countOf) };
    return row;
  }
  row.distribution = {
    kind: 'exponential',
    scale: int32Field(point, 'scale', false),
    zeroCount: countField(point, 'zeroCount'),
    zeroThreshold: optionalDouble(point, 'zeroThreshold') ?? 0,
    positive: bucketsOf(point, 'positive'),
    negative: bucketsOf(point, 'negative'),
  };
  return row;
}

function quantileOf(value: unknown, name: string): { quantile: number; value: number } {
  try {
    const entry = asObject(value, 'ValueAtQuantile');
    return { quantile: optionalDouble(entry, 'quantile') ?? 0, value: optionalDouble(entry, 'value') ?? 0 };
  } catch (error) {
    throw within(error, name);
  }
}

function bucketsOf(point: JsonObject, key: 'positive' | 'negative'): ExponentialBuckets {
  const buckets = objectField(point, key);
  if (buckets === undefined) return { offset: 0, counts: [] };
  try {
    return { offset: int32Field(buckets, 'offset', false), counts: listField(buckets, 'bucketCounts', countOf) };
  } catch (error) {
    throw within(error, key);
  }
}
