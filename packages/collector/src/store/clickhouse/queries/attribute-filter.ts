/*
 * Span attribute equality in ClickHouse SQL, as the DuckDB store compares it (json_extract_
 * string(attributes, '/key') = value): a string attribute by its text; a number, boolean,
 * list or map by its JSON text (200 matches "200", true matches "true"); null or a missing
 * key never.
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
  if (PLAIN_JSON_SCALAR.test(value)) return [`${prefix}${JSON.stringify(value)}`, `${prefix}${value}`];
  if (NON_STRING_JSON_START.test(value)) return [prefix];
  return [`${prefix}${JSON.stringify(value)}`];
}

/**
 * WHERE conditions (ANDed) for `attributes` equality filters on the `attributes` column,
 * their values added to `params`. The substring tests come first: ClickHouse evaluates AND
 * left to right and parses the JSON only of rows that pass them. The JSON goes through
 * RapidJSON (the statement must set allow_simdjson = 0): simdjson rejects a whole document
 * holding an integer beyond 64 bits, which JSON.stringify writes for a double such as 1e20,
 * so every key of that span would read as missing.
 * @example
 * const params = {};
 * attributeConditions({ 'http.route': '/checkout' }, params);
 * // ["multiSearchAny(attributes, {attrNeedles0:Array(String)})", "multiIf(JSONType(...) ...)"]
 */
export function attributeConditions(attributes: Readonly<Record<string, string>>, params: Record<string, unknown>): string[] {
  const tests: string[] = [];
  const matches: string[] = [];
  Object.entries(attributes).forEach(([key, value], i) => {
    Object.assign(params, { [`attrNeedles${i}`]: needles(key, value), [`attrKey${i}`]: key, [`attrValue${i}`]: value });
    const k = `{attrKey${i}:String}`;
    const v = `{attrValue${i}:String}`;
    tests.push(`multiSearchAny(attributes, {attrNeedles${i}:Array(String)})`);
    matches.push(`multiIf(JSONType(attributes, ${k}) = 'String', JSONExtractString(attributes, ${k}) = ${v},
      JSONType(attributes, ${k}) = 'Null', false, JSONExtractRaw(attributes, ${k}) = ${v})`);
  });
  return [...tests, ...matches];
}

/** The SETTINGS a statement with attributeConditions needs. */
export const ATTRIBUTE_SETTINGS = 'allow_simdjson = 0';
