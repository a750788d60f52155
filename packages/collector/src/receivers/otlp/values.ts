import type {
  AttributeValue,
  Attributes,
  SpanKindNumber,
  StatusCodeNumber,
} from '../../model/rows.js';

/**
 * How OTLP values become row values, shared by the protobuf and JSON decoders so that the
 * two encodings of one request give identical rows.
 */

/** `service` of a resource without `service.name`, as the OpenTelemetry spec says. */
export const UNKNOWN_SERVICE = 'unknown_service';

/** Deepest AnyValue nesting accepted: bounds recursion on hostile input. */
export const MAX_ANY_VALUE_DEPTH = 32;

const SPAN_KINDS: readonly SpanKindNumber[] = [0, 1, 2, 3, 4, 5];
const STATUS_CODES: readonly StatusCodeNumber[] = [0, 1, 2];
const MAX_SEVERITY_NUMBER = 24;

/** An int64 attribute: a number where exact, else its decimal text (rows.ts). */
export function int64Value(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/**
 * A double attribute. NaN and the infinities become the text protobuf JSON uses for them,
 * because rows are stored as JSON, where a non-finite number would turn into null.
 */
export function doubleValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** Sets an attribute without letting the key `__proto__` replace the object's prototype. */
export function setAttribute(attributes: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    attributes[key] = value;
  }
}

/** Unknown kinds (from newer or broken senders) count as unspecified. */
export function spanKind(value: number): SpanKindNumber {
  return SPAN_KINDS[value] ?? 0;
}

/** Unknown status codes count as unset: never claim ok or error that was not sent. */
export function statusCode(value: number): StatusCodeNumber {
  return STATUS_CODES[value] ?? 0;
}

/** SeverityNumber outside 1..24 counts as unspecified (0). */
export function severityNumber(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= MAX_SEVERITY_NUMBER ? value : 0;
}

/** The resource's `service.name`, or `unknown_service` when absent or not a non-empty string. */
export function serviceOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

/** A log body as stored: a string as is, anything else as its JSON text, absent as ''. */
export function bodyText(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
