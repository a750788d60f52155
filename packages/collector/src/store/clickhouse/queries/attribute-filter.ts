/*
 * Attribute equality in ClickHouse SQL, as the DuckDB store compares it (duckdb/queries/
 * trace-search.ts): a span attribute or, failing that, a resource attribute of the span; a
 * string by its text; a number, boolean, list or map by its JSON text (200 matches "200",
 * true matches "true"); a list also by one element's text; null or a missing key never.
 */

/** JSON text that JSON.stringify writes as both stores read it back: safe integers, booleans. */
const PLAIN_JSON_SCALAR = /^(-?(0|[1-9]\d{0,14})|true|false)$/;
/** How the JSON text of any number, boolean, list or map begins. */
const NON_STRING_JSON_START = /^[-0-9tf[{]/;

/**
 * Texts of which the attributes JSON holds one when the attribute can match. The column is
 * JSON.stringify's text (../../json-columns.ts), so `"key":` is there wherever the key is
 * (what DuckDB tests); a string value is there as `"key":"value"`, a safe integer or boolean
 * as `"key":200`. Other numbers, lists and maps (whose text the JSON parser may write back
 * otherwise, 1e+21 as 1e21) fall back to the key alone. At 2M spans a search for a value
 * no span has took ~0.4 s with the whole pair, ~3.4 s with the key alone (each span's JSON
 * parsed).
 */
function needles(key: string, value: string): string[] {
  const prefix = `${JSON.stringify(key)}:`;
  // A list under the key may hold the value as an element: its text begins `"key":[`.
  const list = `${prefix}[`;
  if (PLAIN_JSON_SCALAR.test(value)) return [`${prefix}${JSON.stringify(value)}`, `${prefix}${value}`, list];
  if (NON_STRING_JSON_START.test(value)) return [prefix];
  return [`${prefix}${JSON.stringify(value)}`, list];
}

/** The value of key k of a JSON column equals v, or (a list) one of its elements does. */
function holds(column: string, k: string, v: string): string {
  const elements = `arrayMap(x -> if(JSONType(x) = 'String', JSONExtractString(x), x), arrayFilter(x -> JSONType(x) != 'Null', JSONExtractArrayRaw(${column}, ${k})))`;
  return `multiIf(JSONType(${column}, ${k}) = 'String', JSONExtractString(${column}, ${k}) = ${v},
      JSONType(${column}, ${k}) = 'Null', false,
      JSONType(${column}, ${k}) = 'Array', JSONExtractRaw(${column}, ${k}) = ${v} OR has(${elements}, ${v}),
      JSONExtractRaw(${column}, ${k}) = ${v})`;
}

/**
 * WHERE conditions (ANDed), one per `attributes` equality filter, on the attributes and
 * resource columns, their values added to `params`. The substring tests come first:
 * ClickHouse evaluates AND left to right and parses the JSON only of rows that pass them. The JSON goes through
 * RapidJSON (the statement must set allow_simdjson = 0): simdjson rejects a whole document
 * holding an integer beyond 64 bits, which JSON.stringify writes for a double such as 1e20,
 * so every key of that span would read as missing.
 * @example
 * const params = {};
 * attributeConditions({ 'http.route': '/checkout' }, params);
 * // ["((multiSearchAny(attributes, {attrNeedles0:Array(String)}) AND multiIf(...)) OR (multiSearchAny(resource, ...) AND ...))"]
 */
export function attributeConditions(attributes: Readonly<Record<string, string>>, params: Record<string, unknown>): string[] {
  return Object.entries(attributes).map(([key, value], i) => {
    Object.assign(params, { [`attrNeedles${i}`]: needles(key, value), [`attrKey${i}`]: key, [`attrValue${i}`]: value });
    const k = `{attrKey${i}:String}`;
    const v = `{attrValue${i}:String}`;
    const either = (column: string): string => `(multiSearchAny(${column}, {attrNeedles${i}:Array(String)}) AND ${holds(column, k, v)})`;
    return `(${either('attributes')} OR ${either('resource')})`;
  });
}

/** The SETTINGS a statement with attributeConditions needs. */
export const ATTRIBUTE_SETTINGS = 'allow_simdjson = 0';
