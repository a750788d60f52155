/**
 * Remembers recent spans by (trace id, span id) so that a batch sent again — what every OTLP
 * exporter does on a retry, and a client after a partial success or a lost response — is stored
 * once. The memory is fixed: two open-addressing tables of typed arrays, the current one and the
 * one before it. When the current one holds `capacity` keys it becomes the previous one, and
 * the old previous one is cleared and reused: the newest `capacity` to `2 x capacity` spans are
 * remembered, whatever the rate.
 *
 * A key is the span id's 64 bits plus the low 32 bits of the trace id (W3C makes the right-most
 * bytes the random ones): two distinct spans collide only when both agree on all 96 bits.
 * Ids are checked by the decoders (16 and 32 lowercase hex digits); anything else is never
 * treated as a duplicate.
 */

const EMPTY = 0;
const USED = 1;
/** Slots per table for a capacity: a power of two above capacity / 0.75 (load at most 3/4). */
function slotsFor(capacity: number): number {
  let slots = 1024;
  while (slots * 0.75 < capacity) slots *= 2;
  return slots;
}

class KeyTable {
  readonly #spanHi: Uint32Array;
  readonly #spanLo: Uint32Array;
  readonly #trace: Uint32Array;
  readonly #used: Uint8Array;
  readonly #mask: number;
  size = 0;

  constructor(slots: number) {
    this.#spanHi = new Uint32Array(slots);
    this.#spanLo = new Uint32Array(slots);
    this.#trace = new Uint32Array(slots);
    this.#used = new Uint8Array(slots);
    this.#mask = slots - 1;
  }

  get bytes(): number {
    return this.#spanHi.byteLength * 3 + this.#used.byteLength;
  }

  /** The slot holding the key, or the empty slot where it would go (as ~slot). */
  #find(hi: number, lo: number, trace: number): number {
    let slot = (hi ^ Math.imul(lo, 0x9e3779b1) ^ Math.imul(trace, 0x85ebca6b)) & this.#mask;
    while (this.#used[slot] === USED) {
      if (this.#spanHi[slot] === hi && this.#spanLo[slot] === lo && this.#trace[slot] === trace) return slot;
      slot = (slot + 1) & this.#mask;
    }
    return ~slot;
  }

  has(hi: number, lo: number, trace: number): boolean {
    return this.#find(hi, lo, trace) >= 0;
  }

  add(hi: number, lo: number, trace: number): void {
    const found = this.#find(hi, lo, trace);
    if (found >= 0) return;
    const slot = ~found;
    this.#used[slot] = USED;
    this.#spanHi[slot] = hi;
    this.#spanLo[slot] = lo;
    this.#trace[slot] = trace;
    this.size += 1;
  }

  clear(): void {
    this.#used.fill(EMPTY);
    this.size = 0;
  }
}

const HEX_ID = /^[0-9a-f]+$/;

/**
 * @example
 * const seen = new SpanKeyFilter(390_000);
 * const fresh = seen.filter(rows); // rows whose (traceId, spanId) was not seen, each once
 */
export class SpanKeyFilter {
  readonly #capacity: number;
  #current: KeyTable;
  #previous: KeyTable;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`SpanKeyFilter: capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    const slots = slotsFor(capacity);
    this.#current = new KeyTable(slots);
    this.#previous = new KeyTable(slots);
  }

  /** The memory of both tables, fixed at construction. */
  get bytes(): number {
    return this.#current.bytes + this.#previous.bytes;
  }

  /**
   * Remembers each key and says whether it had been seen (a duplicate). Ids that are not
   * 16 / 32 hex digits are never duplicates.
   */
  seen(traceId: string, spanId: string): boolean {
    if (spanId.length !== 16 || traceId.length !== 32 || !HEX_ID.test(spanId) || !HEX_ID.test(traceId.slice(24))) return false;
    const hi = Number.parseInt(spanId.slice(0, 8), 16) >>> 0;
    const lo = Number.parseInt(spanId.slice(8), 16) >>> 0;
    const trace = Number.parseInt(traceId.slice(24), 16) >>> 0;
    if (this.#current.has(hi, lo, trace) || this.#previous.has(hi, lo, trace)) return true;
    if (this.#current.size >= this.#capacity) {
      const reused = this.#previous;
      reused.clear();
      this.#previous = this.#current;
      this.#current = reused;
    }
    this.#current.add(hi, lo, trace);
    return false;
  }

  /** The rows not seen before, in order; a span twice in `rows` is kept once. */
  filter<Row extends { traceId: string; spanId: string }>(rows: Row[]): Row[] {
    let out: Row[] | undefined;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (this.seen(row.traceId, row.spanId)) {
        out ??= rows.slice(0, i);
      } else if (out !== undefined) out.push(row);
    }
    return out ?? rows;
  }
}
