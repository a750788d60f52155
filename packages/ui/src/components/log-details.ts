import type { WireLog } from '../api/wire.js';
import { valueText } from '../format/attribute-text.js';

/**
 * The semantic conventions' exception attributes: OpenTelemetry's Python and Java logging
 * handlers put the exception of an error log here (the record's body is the log message).
 */
const EXCEPTION_TYPE = 'exception.type';
const EXCEPTION_MESSAGE = 'exception.message';
const EXCEPTION_STACKTRACE = 'exception.stacktrace';
const EXCEPTION_KEYS: ReadonlySet<string> = new Set([EXCEPTION_TYPE, EXCEPTION_MESSAGE, EXCEPTION_STACKTRACE]);
/** Set on every container output line; the Source column already says the stream. */
const IOSTREAM = 'log.iostream';

export interface LogException {
  type: string;
  message: string;
  /** As sent, line breaks kept ('' when none). */
  stacktrace: string;
}

export interface LogDetails {
  /** Present where the record has any exception.* attribute of the three. */
  exception: LogException | undefined;
  /** The other attributes, keys sorted, values as text. */
  attributes: { key: string; text: string }[];
}

/**
 * What to show under a log row: its exception (type, message, stack trace) and its other
 * attributes, leaving out what the row already says.
 *
 * @example
 * logDetails({ source: 'otlp', attributes: { 'exception.type': 'ValueError', 'code.lineno': 12 } })
 * // → { exception: { type: 'ValueError', message: '', stacktrace: '' }, attributes: [{ key: 'code.lineno', text: '12' }] }
 */
export function logDetails(log: Pick<WireLog, 'attributes' | 'source'>): LogDetails {
  const { attributes } = log;
  const text = (key: string): string => {
    const value = attributes[key];
    return value === undefined ? '' : valueText(value);
  };
  const hasException = [...EXCEPTION_KEYS].some((key) => attributes[key] !== undefined);
  const exception = hasException ? { type: text(EXCEPTION_TYPE), message: text(EXCEPTION_MESSAGE), stacktrace: text(EXCEPTION_STACKTRACE) } : undefined;
  const rest = Object.keys(attributes)
    .filter((key) => !EXCEPTION_KEYS.has(key) && !(key === IOSTREAM && attributes[key] === log.source))
    .sort()
    .map((key) => ({ key, text: text(key) }));
  return { exception, attributes: rest };
}

export function hasDetails(details: LogDetails): boolean {
  return details.exception !== undefined || details.attributes.length > 0;
}
