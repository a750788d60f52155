import type { AttributeValue, Attributes } from '../../model/rows.js';
import { MAX_ANY_VALUE_DEPTH, doubleValue, int64Value, setAttribute } from './values.js';
import {
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_VARINT,
  WireError,
  delimitedEnd,
  expectEnd,
  readBase64,
  tagOf,
} from './wire.js';
import { readString } from './wire-string.js';
import type { WireReader } from './wire.js';

/**
 * opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto, decoded
 * straight to row values.
 */

// AnyValue: oneof string_value = 1, bool_value = 2, int_value = 3, double_value = 4,
// array_value = 5, kvlist_value = 6, bytes_value = 7.
const ANY_STRING = tagOf(1, WIRE_LEN);
const ANY_BOOL = tagOf(2, WIRE_VARINT);
const ANY_INT = tagOf(3, WIRE_VARINT);
const ANY_DOUBLE = tagOf(4, WIRE_FIXED64);
const ANY_ARRAY = tagOf(5, WIRE_LEN);
const ANY_KVLIST = tagOf(6, WIRE_LEN);
const ANY_BYTES = tagOf(7, WIRE_LEN);
// ArrayValue.values = 1, KeyValueList.values = 1.
const LIST_VALUES = tagOf(1, WIRE_LEN);
// KeyValue: key = 1, value = 2.
const KV_KEY = tagOf(1, WIRE_LEN);
const KV_VALUE = tagOf(2, WIRE_LEN);
// Resource.attributes = 1; InstrumentationScope: name = 1, version = 2.
const RESOURCE_ATTRIBUTES = tagOf(1, WIRE_LEN);
const SCOPE_NAME = tagOf(1, WIRE_LEN);
const SCOPE_VERSION = tagOf(2, WIRE_LEN);

/** An AnyValue message ending at `end`; an empty one (no field of the oneof set) is null. */
export function readAnyValue(r: WireReader, end: number, depth: number): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new WireError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ANY_STRING) value = readString(r);
    else if (tag === ANY_INT) value = int64Value(r.int64Exact());
    else if (tag === ANY_DOUBLE) value = doubleValue(r.double());
    else if (tag === ANY_BOOL) value = r.bool();
    else if (tag === ANY_ARRAY) value = readArrayValue(r, delimitedEnd(r, end), depth + 1);
    else if (tag === ANY_KVLIST) value = readKeyValueList(r, delimitedEnd(r, end), depth + 1);
    else if (tag === ANY_BYTES) value = readBase64(r, end);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return value;
}

function readArrayValue(r: WireReader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === LIST_VALUES) values.push(readAnyValue(r, delimitedEnd(r, end), depth));
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return values;
}

function readKeyValueList(r: WireReader, end: number, depth: number): Attributes {
  const values: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === LIST_VALUES) readKeyValue(r, delimitedEnd(r, end), values, depth);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return values;
}

/** A KeyValue message ending at `end`, added to `into` (a later duplicate key wins). */
export function readKeyValue(r: WireReader, end: number, into: Attributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === KV_KEY) key = readString(r);
    else if (tag === KV_VALUE) value = readAnyValue(r, delimitedEnd(r, end), depth);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  setAttribute(into, key, value);
}

/** A Resource message: its attributes. */
export function readResource(r: WireReader, end: number): Attributes {
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === RESOURCE_ATTRIBUTES) readKeyValue(r, delimitedEnd(r, end), attributes, 0);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return attributes;
}

export interface Scope {
  name: string;
  version: string;
}

/** An InstrumentationScope message: name and version (its attributes are not kept). */
export function readScope(r: WireReader, end: number): Scope {
  const scope: Scope = { name: '', version: '' };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === SCOPE_NAME) scope.name = readString(r);
    else if (tag === SCOPE_VERSION) scope.version = readString(r);
    else r.skipField(tag);
  }
  expectEnd(r, end);
  return scope;
}
