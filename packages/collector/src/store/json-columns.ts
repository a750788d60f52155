import type { AttributeValue, Attributes, SpanEventRow, SpanLinkRow } from '../model/rows.js';

/*
 * The JSON text columns. Writing is JSON.stringify (bigint times inside events become
 * decimal strings); reading parses and checks the shape, because the file outlives the
 * process that wrote it and a malformed value must fail loudly, not reach the API.
 */

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAttributeValue(value: Json): value is AttributeValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isAttributeValue);
  return isRecord(value) && Object.values(value).every(isAttributeValue);
}

function parse(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new TypeError(`store column ${what}: not JSON`);
  }
}

function isAttributes(value: Json): value is Attributes {
  return isRecord(value) && Object.values(value).every(isAttributeValue);
}

/** Returns the parsed object itself: copying key by key would mishandle a `__proto__` key. */
function toAttributes(value: Json, what: string): Attributes {
  if (!isAttributes(value)) throw new TypeError(`store column ${what}: not an attribute map`);
  return value;
}

function field(record: Record<string, Json>, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new TypeError(`store column ${what}: ${key} is not a string`);
  return value;
}

function isStringMap(value: Json): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((item) => typeof item === 'string');
}

const DECIMAL = /^-?\d+$/;

export function encodeAttributes(attributes: Attributes | Record<string, string>): string {
  return JSON.stringify(attributes);
}

export function decodeAttributes(text: string, what: string): Attributes {
  return toAttributes(parse(text, what), what);
}

export function decodeStringMap(text: string, what: string): Record<string, string> {
  const value = parse(text, what);
  if (!isStringMap(value)) throw new TypeError(`store column ${what}: not a map of strings`);
  return value;
}

/** Most spans have no events or links: '[]' without a stringify call. */
const EMPTY_LIST = '[]';

export function encodeEvents(events: readonly SpanEventRow[]): string {
  if (events.length === 0) return EMPTY_LIST;
  return JSON.stringify(
    events.map((e) => ({ timeNs: e.timeNs.toString(), name: e.name, attributes: e.attributes })),
  );
}

export function decodeEvents(text: string, what: string): SpanEventRow[] {
  const value = parse(text, what);
  if (!Array.isArray(value)) throw new TypeError(`store column ${what}: not a list`);
  return value.map((item: Json) => {
    if (!isRecord(item)) throw new TypeError(`store column ${what}: event is not an object`);
    const timeText = field(item, 'timeNs', what);
    if (!DECIMAL.test(timeText)) throw new TypeError(`store column ${what}: timeNs is not decimal`);
    return {
      timeNs: BigInt(timeText),
      name: field(item, 'name', what),
      attributes: toAttributes(item['attributes'], what),
    };
  });
}

export function encodeLinks(links: readonly SpanLinkRow[]): string {
  if (links.length === 0) return EMPTY_LIST;
  return JSON.stringify(
    links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      traceState: l.traceState,
      attributes: l.attributes,
    })),
  );
}

export function decodeLinks(text: string, what: string): SpanLinkRow[] {
  const value = parse(text, what);
  if (!Array.isArray(value)) throw new TypeError(`store column ${what}: not a list`);
  return value.map((item: Json) => {
    if (!isRecord(item)) throw new TypeError(`store column ${what}: link is not an object`);
    return {
      traceId: field(item, 'traceId', what),
      spanId: field(item, 'spanId', what),
      traceState: field(item, 'traceState', what),
      attributes: toAttributes(item['attributes'], what),
    };
  });
}

/**
 * A JSON Pointer (RFC 6901) to one top-level key, for json_extract_string. Unlike a
 * `$.key` path it needs no quoting for keys like `http.method` or `a"b`.
 */
export function jsonPointer(key: string): string {
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
