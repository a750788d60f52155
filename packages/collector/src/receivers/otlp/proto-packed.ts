import { WIRE_LEN, WireError, delimitedEnd } from './wire.js';
import type { WireReader } from './wire.js';

/**
 * Numeric reads for metric data points, straight to JS numbers: counts and int values are
 * 64-bit on the wire but numbers in rows (exact up to 2^53), so going through a bigint for
 * each bucket would only cost time. Repeated fields decode packed (one length-delimited
 * field) and unpacked (one field per value) alike, as protobuf parsers must.
 */

const TWO_POW_32 = 0x1_0000_0000;
const FIXED64_BYTES = 8;
const MAX_VARINT_BYTES = 10;
const VARINT_DIGIT = 0x80;

function need(r: WireReader, bytes: number): number {
  const at = r.pos;
  if (at + bytes > r.len) throw new WireError(`${bytes} bytes at byte ${at} run past the end of the body (${r.len} bytes)`);
  return at;
}

/** A fixed64 (uint64) as a number. */
export function fixed64Number(r: WireReader): number {
  const at = need(r, FIXED64_BYTES);
  const low = r.bodyBuffer.readUInt32LE(at);
  const high = r.bodyBuffer.readUInt32LE(at + 4);
  r.pos = at + FIXED64_BYTES;
  return high * TWO_POW_32 + low;
}

/** An sfixed64 (two's complement int64) as a number. */
export function sfixed64Number(r: WireReader): number {
  const at = need(r, FIXED64_BYTES);
  const low = r.bodyBuffer.readUInt32LE(at);
  const high = r.bodyBuffer.readInt32LE(at + 4);
  r.pos = at + FIXED64_BYTES;
  return high * TWO_POW_32 + low;
}

/** A uint64 varint as a number. */
export function uint64VarintNumber(r: WireReader): number {
  const body = r.body;
  const start = r.pos;
  let pos = start;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (pos >= r.len) throw new WireError(`varint at byte ${start} runs past the end of the body`);
    const byte = body[pos++]!;
    value += (byte & (VARINT_DIGIT - 1)) * scale;
    if (byte < VARINT_DIGIT) {
      r.pos = pos;
      return value;
    }
    scale *= VARINT_DIGIT;
  }
  throw new WireError(`varint at byte ${start} is longer than ${MAX_VARINT_BYTES} bytes`);
}

/** A sint32 (zigzag varint), as ExponentialHistogramDataPoint.scale and Buckets.offset. */
export function sint32(r: WireReader): number {
  const n = r.uint32();
  return (n >>> 1) ^ -(n & 1);
}

/** repeated fixed64 whose tag was just read: one value, or all of a packed run. */
export function readFixed64s(r: WireReader, tag: number, limit: number, into: number[]): void {
  if ((tag & 7) !== WIRE_LEN) {
    into.push(fixed64Number(r));
    return;
  }
  const end = packedEnd(r, limit, FIXED64_BYTES);
  while (r.pos < end) into.push(fixed64Number(r));
}

/** repeated double whose tag was just read: one value, or all of a packed run. */
export function readDoubles(r: WireReader, tag: number, limit: number, into: number[]): void {
  if ((tag & 7) !== WIRE_LEN) {
    into.push(r.double());
    return;
  }
  const end = packedEnd(r, limit, FIXED64_BYTES);
  while (r.pos < end) into.push(r.double());
}

/** repeated uint64 (varints) whose tag was just read: one value, or all of a packed run. */
export function readUint64Varints(r: WireReader, tag: number, limit: number, into: number[]): void {
  if ((tag & 7) !== WIRE_LEN) {
    into.push(uint64VarintNumber(r));
    return;
  }
  const end = delimitedEnd(r, limit);
  while (r.pos < end) into.push(uint64VarintNumber(r));
  if (r.pos !== end) throw new WireError(`a packed varint runs past its field's end at byte ${end}`);
}

/** The end of a packed run of fixed-size values, checked to hold whole values. */
function packedEnd(r: WireReader, limit: number, valueBytes: number): number {
  const end = delimitedEnd(r, limit);
  if ((end - r.pos) % valueBytes !== 0) {
    throw new WireError(`a packed field of ${valueBytes}-byte values is ${end - r.pos} bytes long at byte ${r.pos}`);
  }
  return end;
}
