/**
 * The few protobuf wire operations the OTLP decoders need. Two adapters implement it over
 * well-kept library readers (wire-bufbuild.ts, wire-protobufjs.ts) so that the hand-written
 * decoders can be measured on both (bench/decode.mjs) and the faster one kept.
 *
 * Every read is bounds-checked by the library against the end of the body, so a declared
 * length can never make a decoder allocate more than the body it was given.
 */
export interface WireReader {
  /** The whole request body. */
  readonly body: Uint8Array;
  /** The same bytes as a Buffer (a view, not a copy), for Node's native hex and base64. */
  readonly bodyBuffer: Buffer;
  /** Next byte to read. */
  pos: number;
  /** Length of the body in bytes. */
  readonly len: number;
  /** A varint as an unsigned 32-bit number (tags, lengths, enums). */
  uint32(): number;
  bool(): boolean;
  double(): number;
  /** A length-delimited UTF-8 string; invalid sequences become U+FFFD. */
  string(): string;
  /** An int64 varint, exactly. */
  int64Exact(): bigint;
  /** A fixed64 as an unsigned 64-bit integer, exactly. */
  fixed64Exact(): bigint;
  /** Skips the value of a field whose tag was just read (unknown or unneeded fields). */
  skipField(tag: number): void;
}

/** A Buffer over the same memory as `body` (no copy), as WireReader.bodyBuffer. */
export function bufferView(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Makes a reader over one request body. */
export type WireReaderFactory = (body: Uint8Array) => WireReader;

/** Protobuf wire types used by OTLP. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;

/** The tag of a field, as it appears on the wire: field number and wire type in one varint. */
export function tagOf(fieldNo: number, wireType: number): number {
  return (fieldNo << 3) | wireType;
}

/** A body that is not a well-formed protobuf message of the expected type. */
export class WireError extends Error {
  override name = 'WireError';
}

/**
 * Reads a length prefix and returns the position where that field ends. The end is checked
 * against the enclosing message before anything is read or allocated.
 */
export function delimitedEnd(r: WireReader, limit: number): number {
  const at = r.pos;
  const length = r.uint32();
  const end = r.pos + length;
  if (end > limit) {
    throw new WireError(`length ${length} at byte ${at} runs past the end of its message (byte ${limit})`);
  }
  return end;
}

/** After a message's fields: the last field must have ended exactly at the message's end. */
export function expectEnd(r: WireReader, end: number): void {
  if (r.pos !== end) {
    throw new WireError(`a field overruns its enclosing message at byte ${end} (read up to byte ${r.pos})`);
  }
}

/** Walks a message field by field without keeping anything, which checks its framing. */
export function skipMessage(r: WireReader, end: number): void {
  while (r.pos < end) r.skipField(r.uint32());
  expectEnd(r, end);
}

/** Reads a length-delimited bytes field as lowercase hex (trace and span ids). */
export function readHex(r: WireReader, limit: number): string {
  const end = delimitedEnd(r, limit);
  // Node's native encoder: measured twice as fast as a lookup table and gives a flat string.
  const hex = r.bodyBuffer.toString('hex', r.pos, end);
  r.pos = end;
  return hex;
}

/** Reads a length-delimited bytes field as standard base64 (AnyValue bytes_value). */
export function readBase64(r: WireReader, limit: number): string {
  const end = delimitedEnd(r, limit);
  const text = r.bodyBuffer.toString('base64', r.pos, end);
  r.pos = end;
  return text;
}
