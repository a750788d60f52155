import type { AttributeValue, Attributes } from '../../model/rows.js';
import {
  ShapeError,
  arrayField,
  asObject,
  base64Of,
  doubleOf,
  integerValue,
  objectField,
  stringField,
  within,
} from './json-shape.js';
import type { JsonObject } from './json-shape.js';
import { MAX_ANY_VALUE_DEPTH, doubleValue, int64Value, setAttribute } from './values.js';

/** OTLP/JSON AnyValue, KeyValue, Resource and InstrumentationScope, as row values. */

/** An AnyValue object; `{}` (no value set) and absent are null. */
export function anyValueOf(value: unknown, depth: number): AttributeValue {
  if (value === undefined || value === null) return null;
  if (depth > MAX_ANY_VALUE_DEPTH) throw new ShapeError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  const any = asObject(value, 'AnyValue');
  const text = any.stringValue;
  if (text !== undefined && text !== null) return stringField(any, 'stringValue');
  if (any.intValue !== undefined && any.intValue !== null) {
    return int64Value(integerValue(any.intValue, 'intValue', false));
  }
  if (any.doubleValue !== undefined && any.doubleValue !== null) {
    return doubleValue(doubleOf(any.doubleValue, 'doubleValue'));
  }
  const bool = any.boolValue;
  if (bool !== undefined && bool !== null) {
    if (typeof bool !== 'boolean') throw new ShapeError(`boolValue must be a boolean, got ${typeof bool}`);
    return bool;
  }
  const array = objectField(any, 'arrayValue');
  if (array !== undefined) return arrayValueOf(array, depth + 1);
  const kvlist = objectField(any, 'kvlistValue');
  if (kvlist !== undefined) return attributesOf(arrayField(kvlist, 'values'), depth + 1);
  if (any.bytesValue !== undefined && any.bytesValue !== null) return base64Of(any.bytesValue, 'bytesValue');
  return null;
}

function arrayValueOf(array: JsonObject, depth: number): AttributeValue[] {
  const items = arrayField(array, 'values');
  const values: AttributeValue[] = new Array<AttributeValue>(items.length);
  for (let i = 0; i < items.length; i++) {
    try {
      values[i] = anyValueOf(items[i], depth);
    } catch (error) {
      throw within(error, `arrayValue.values[${i}]`);
    }
  }
  return values;
}

/** A KeyValue list (attributes, kvlistValue.values) as one object; a later duplicate key wins. */
export function attributesOf(keyValues: readonly unknown[], depth: number): Attributes {
  const attributes: Attributes = {};
  for (let i = 0; i < keyValues.length; i++) {
    try {
      const keyValue = asObject(keyValues[i], 'KeyValue');
      setAttribute(attributes, stringField(keyValue, 'key'), anyValueOf(keyValue.value, depth));
    } catch (error) {
      throw within(error, `[${i}]`);
    }
  }
  return attributes;
}

/** The `attributes` array of a span, event, link, record or resource. */
export function attributesField(object: JsonObject): Attributes {
  const keyValues = arrayField(object, 'attributes');
  try {
    return attributesOf(keyValues, 0);
  } catch (error) {
    throw within(error, 'attributes');
  }
}

/** A Resource's attributes; an absent resource has none. */
export function resourceOf(container: JsonObject): Attributes {
  const resource = objectField(container, 'resource');
  if (resource === undefined) return {};
  try {
    return attributesField(resource);
  } catch (error) {
    throw within(error, 'resource');
  }
}

/** An InstrumentationScope's name and version; absent is the unknown scope ('', ''). */
export function scopeOf(container: JsonObject): { name: string; version: string } {
  const scope = objectField(container, 'scope');
  if (scope === undefined) return { name: '', version: '' };
  try {
    return { name: stringField(scope, 'name'), version: stringField(scope, 'version') };
  } catch (error) {
    throw within(error, 'scope');
  }
}
