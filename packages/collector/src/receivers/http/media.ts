/** The two OTLP/HTTP wire encodings; the response uses the request's. */
export type WireEncoding = 'proto' | 'json';

/** Body compressions the receiver inflates. */
export type ContentEncoding = 'identity' | 'gzip' | 'deflate';

const MEDIA_TYPES: ReadonlyMap<string, WireEncoding> = new Map([
  ['application/x-protobuf', 'proto'],
  ['application/protobuf', 'proto'],
  ['application/json', 'json'],
]);

const CONTENT_TYPES: Readonly<Record<WireEncoding, string>> = {
  proto: 'application/x-protobuf',
  json: 'application/json',
};

const CONTENT_ENCODINGS: ReadonlyMap<string, ContentEncoding> = new Map([
  ['', 'identity'],
  ['identity', 'identity'],
  ['gzip', 'gzip'],
  ['x-gzip', 'gzip'],
  ['deflate', 'deflate'],
]);

/**
 * The wire encoding of a Content-Type header, parameters (charset=...) ignored; undefined
 * when it is missing or not an OTLP type.
 * @example wireEncodingOf('application/json; charset=utf-8') // 'json'
 */
export function wireEncodingOf(header: string | undefined): WireEncoding | undefined {
  if (header === undefined) return undefined;
  const mediaType = header.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPES.get(mediaType);
}

export function contentTypeOf(encoding: WireEncoding): string {
  return CONTENT_TYPES[encoding];
}

/**
 * The body compression of a Content-Encoding header; undefined for anything else, stacked
 * encodings included ("gzip, gzip" would be a way to multiply a bomb's ratio).
 */
export function contentEncodingOf(header: string | undefined): ContentEncoding | undefined {
  return CONTENT_ENCODINGS.get((header ?? '').trim().toLowerCase());
}
