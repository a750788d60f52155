import type { WireReader } from './wire.js';

/** String fields of OTLP protobuf, read through a cache of the short ones that repeat. */

/** Longest string looked up in the cache; longer ones are rarely repeated. */
const CACHED_STRING_MAX_BYTES = 64;
/** Two slots per set: two strings whose hashes collide can both stay cached. */
const STRING_CACHE_SETS = 2048;
const stringCache: (string | undefined)[] = new Array<string | undefined>(STRING_CACHE_SETS * 2).fill(undefined);
const FNV_PRIME = 0x01000193;

/** Whether `text` is the decoding of body[start, start + text.length), byte for byte. */
function sameAscii(text: string, body: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== body[start + i]) return false;
  return true;
}

/**
 * Reads a string field through a small set-associative cache of short ASCII strings. OTLP
 * repeats the same keys and many values (attribute keys, span names, methods, routes) in
 * every span: a hit skips UTF-8 decoding, and attribute keys come back as the same string
 * object each time, which V8 has already internalised for use as a property name. A hit is
 * checked byte by byte, so a collision only costs a miss. Bounded: two strings per set.
 */
export function readString(r: WireReader): string {
  const at = r.pos;
  const length = r.uint32();
  const start = r.pos;
  const end = start + length;
  const body = r.body;
  if (length === 0) return '';
  if (length > CACHED_STRING_MAX_BYTES || end > r.len) {
    r.pos = at;
    return r.string();
  }
  // The set comes from the length and up to 9 bytes at both ends and the middle: enough to
  // tell apart keys and values that share a prefix, in constant time.
  const last = end - 1;
  let hash = Math.imul(length ^ body[start]!, FNV_PRIME);
  hash = Math.imul(hash ^ body[last]!, FNV_PRIME);
  hash = Math.imul(hash ^ body[start + (length >>> 1)]!, FNV_PRIME);
  if (length > 4) {
    hash = Math.imul(hash ^ body[start + 1]!, FNV_PRIME);
    hash = Math.imul(hash ^ body[last - 1]!, FNV_PRIME);
    hash = Math.imul(hash ^ body[start + 2]!, FNV_PRIME);
    hash = Math.imul(hash ^ body[last - 2]!, FNV_PRIME);
    hash = Math.imul(hash ^ body[start + 3]!, FNV_PRIME);
    hash = Math.imul(hash ^ body[last - 3]!, FNV_PRIME);
  }
  const slot = ((hash ^ (hash >>> 15)) & (STRING_CACHE_SETS - 1)) << 1;
  const first = stringCache[slot];
  if (first !== undefined && first.length === length && sameAscii(first, body, start)) {
    r.pos = end;
    return first;
  }
  const second = stringCache[slot + 1];
  if (second !== undefined && second.length === length && sameAscii(second, body, start)) {
    r.pos = end;
    return second;
  }
  r.pos = at;
  const text = r.string();
  // As many UTF-16 units as bytes means one unit per byte: ASCII (or U+FFFD for a bad
  // byte, which never equals a byte value above). Multi-byte text is not cached.
  if (text.length === length) {
    stringCache[slot + 1] = first;
    stringCache[slot] = text;
  }
  return text;
}
