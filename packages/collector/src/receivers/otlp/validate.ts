/**
 * The rules a decoded record must pass to be stored, shared by the protobuf and JSON decoders
 * so that both encodings accept and reject exactly the same records. Ids arrive here as
 * lowercase hex (the protobuf decoder hex-encodes bytes; the JSON decoder lowercases).
 */

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

const ZERO_TRACE_ID = '0'.repeat(TRACE_ID_BYTES * 2);
const ZERO_SPAN_ID = '0'.repeat(SPAN_ID_BYTES * 2);
const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/** A problem with an id that must be present: wrong length or all zero (invalid per OTLP). */
function requiredIdProblem(name: string, hex: string, bytes: number, zero: string): string | null {
  if (hex.length !== bytes * 2) return `${name} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (hex === zero) return `${name} must not be all zero`;
  return null;
}

/** A problem with an id that may be absent (empty) but must otherwise have the right length. */
function optionalIdProblem(name: string, hex: string, bytes: number): string | null {
  if (hex.length === 0 || hex.length === bytes * 2) return null;
  return `${name} must be empty or ${bytes} bytes, got ${hex.length / 2}`;
}

/**
 * Why a span cannot be stored, or null. Ids are lowercase hex; `parentSpanId` is '' for a
 * root span. Links must point at valid spans too.
 *
 * @example spanProblem(traceId, spanId, '', 1n, 2n, []) // null when all is valid
 */
export function spanProblem(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  startNs: bigint,
  endNs: bigint,
  links: readonly { traceId: string; spanId: string }[],
): string | null {
  return (
    hexProblem('traceId', traceId) ??
    requiredIdProblem('traceId', traceId, TRACE_ID_BYTES, ZERO_TRACE_ID) ??
    hexProblem('spanId', spanId) ??
    requiredIdProblem('spanId', spanId, SPAN_ID_BYTES, ZERO_SPAN_ID) ??
    hexProblem('parentSpanId', parentSpanId) ??
    optionalIdProblem('parentSpanId', parentSpanId, SPAN_ID_BYTES) ??
    (endNs < startNs ? `endTimeUnixNano ${endNs} is before startTimeUnixNano ${startNs}` : null) ??
    linksProblem(links)
  );
}

function linksProblem(links: readonly { traceId: string; spanId: string }[]): string | null {
  for (let i = 0; i < links.length; i++) {
    const { traceId, spanId } = links[i]!;
    const problem =
      hexProblem('traceId', traceId) ??
      requiredIdProblem('traceId', traceId, TRACE_ID_BYTES, ZERO_TRACE_ID) ??
      hexProblem('spanId', spanId) ??
      requiredIdProblem('spanId', spanId, SPAN_ID_BYTES, ZERO_SPAN_ID);
    if (problem !== null) return `link ${i}: ${problem}`;
  }
  return null;
}

/** Why a log record's trace context cannot be stored, or null. Both ids are optional. */
export function logIdsProblem(traceId: string, spanId: string): string | null {
  return (
    hexProblem('traceId', traceId) ??
    optionalIdProblem('traceId', traceId, TRACE_ID_BYTES) ??
    hexProblem('spanId', spanId) ??
    optionalIdProblem('spanId', spanId, SPAN_ID_BYTES)
  );
}

/**
 * An optional id as a row value: null when absent or all zero. Some SDKs send zeros for
 * "no parent" or "no active span"; OTLP calls an all-zero id invalid, i.e. not an id at all.
 */
export function optionalId(hex: string): string | null {
  return hex.length === 0 || hex === ZERO_SPAN_ID || hex === ZERO_TRACE_ID ? null : hex;
}

/**
 * Why an id is not lowercase hex, or null. Always true of ids from protobuf (hex-encoded
 * bytes); OTLP/JSON carries ids as hex text (not base64, unlike the generic protobuf JSON
 * mapping), which the JSON decoder lowercases.
 */
function hexProblem(name: string, lowerHex: string): string | null {
  return LOWER_HEX.test(lowerHex) ? null : `${name} must be an even number of hex digits, got "${lowerHex.slice(0, 40)}"`;
}

/**
 * Counts rejected records and keeps the first reason, for the OTLP partial_success answer.
 * The location text is only built for the first rejection.
 */
export class Rejections {
  count = 0;
  private first = '';

  constructor(private readonly noun: 'span' | 'log record') {}

  add(problem: string, recordIndex: number, scopeIndex: number, resourceIndex: number): void {
    if (this.count === 0) {
      this.first = `${this.noun} ${recordIndex} of scope ${scopeIndex} of resource ${resourceIndex}: ${problem}`;
    }
    this.count++;
  }

  /** e.g. "2 spans rejected: span 3 of scope 0 of resource 0: traceId must be 16 bytes, got 5". */
  message(): string {
    if (this.count === 0) return '';
    return `${this.count} ${this.noun}${this.count === 1 ? '' : 's'} rejected: ${this.first}`;
  }
}
