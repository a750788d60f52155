/**
 * A pool of distinct pre-built OTLP trace requests (protobuf and JSON bytes, from
 * ./payload.mjs), and a cheap way to make every send of them carry trace ids never sent
 * before: the last 4 bytes of each trace id are overwritten with a send counter (8 hex digits
 * in JSON). Stamping copies the request into the sender's own buffer and writes 100 small
 * fields, a few microseconds, so the bytes on the wire stay pre-built in all but the ids.
 *
 *   const pool = makeTracePool({ size: 200, spans: 100, attrs: 10 });
 *   const body = stamp(pool[0], 'proto', scratch, 42);   // a subarray of scratch
 *   traceIdOf(pool[0], 0, 42)                            // the first trace's id in that send
 */
import { makeReadableSpans, makeTraceRequest } from './payload.mjs';

const STAMP_BYTES = 4;
const STAMP_HEX_DIGITS = STAMP_BYTES * 2;
const TRACE_ID_BYTES = 16;
const HEX_DIGIT_CODES = new Uint8Array(STAMP_HEX_DIGITS);

/** Every offset at which `needle` occurs in `haystack`. */
function offsetsOf(haystack, needle) {
  const offsets = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
    offsets.push(at);
  }
  return offsets;
}

/**
 * @returns {{ proto: Buffer, json: Buffer, spanCount: number,
 *   traces: { traceId: string, spanCount: number }[],
 *   protoStamps: Int32Array, jsonStamps: Int32Array }[]}
 */
export function makeTracePool({ size = 200, spans = 100, attrs = 10, services = 5, seed = 1000 } = {}) {
  const pool = [];
  for (let i = 0; i < size; i++) {
    const options = { spans, attrs, services, seed: seed + i };
    const request = makeTraceRequest(options);
    const proto = Buffer.from(request.proto);
    const json = Buffer.from(request.json, 'utf8');
    // The same options give the same spans, so these are the ids inside the bytes above.
    const spansPerTrace = new Map();
    for (const span of makeReadableSpans(options)) {
      const { traceId } = span.spanContext();
      spansPerTrace.set(traceId, (spansPerTrace.get(traceId) ?? 0) + 1);
    }
    const protoStamps = [];
    const jsonStamps = [];
    for (const traceId of spansPerTrace.keys()) {
      for (const at of offsetsOf(proto, Buffer.from(traceId, 'hex'))) protoStamps.push(at + TRACE_ID_BYTES - STAMP_BYTES);
      for (const at of offsetsOf(json, Buffer.from(`"${traceId}"`, 'latin1'))) jsonStamps.push(at + 1 + 32 - STAMP_HEX_DIGITS);
    }
    if (protoStamps.length !== request.spanCount || jsonStamps.length !== request.spanCount) {
      throw new Error(
        `payload ${i}: found ${protoStamps.length} protobuf and ${jsonStamps.length} JSON trace ids, expected ${request.spanCount} of each`,
      );
    }
    pool.push({
      proto,
      json,
      spanCount: request.spanCount,
      traces: [...spansPerTrace].map(([traceId, count]) => ({ traceId, spanCount: count })),
      protoStamps: Int32Array.from(protoStamps),
      jsonStamps: Int32Array.from(jsonStamps),
    });
  }
  return pool;
}

/** The largest request of the pool in bytes, to size the senders' scratch buffers. */
export function largestRequestBytes(pool) {
  return Math.max(...pool.map((entry) => Math.max(entry.proto.length, entry.json.length)));
}

/**
 * Copies the request into `scratch`, stamps `counter` (an unsigned 32-bit send number)
 * into each of its trace ids and returns the bytes to send (a view of scratch).
 * @param {'proto' | 'json'} encoding
 */
export function stamp(entry, encoding, scratch, counter) {
  const source = encoding === 'json' ? entry.json : entry.proto;
  source.copy(scratch, 0);
  if (encoding === 'json') {
    const hex = counter.toString(16).padStart(STAMP_HEX_DIGITS, '0');
    const digits = HEX_DIGIT_CODES;
    for (let d = 0; d < STAMP_HEX_DIGITS; d++) digits[d] = hex.charCodeAt(d);
    for (const at of entry.jsonStamps) scratch.set(digits, at);
  } else {
    for (const at of entry.protoStamps) scratch.writeUInt32BE(counter, at);
  }
  return scratch.subarray(0, source.length);
}

/** The id of trace `traceIndex` of `entry` as sent with `counter`. */
export function traceIdOf(entry, traceIndex, counter) {
  const original = entry.traces[traceIndex].traceId;
  return original.slice(0, 32 - STAMP_HEX_DIGITS) + counter.toString(16).padStart(STAMP_HEX_DIGITS, '0');
}
