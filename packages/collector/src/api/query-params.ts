import { z } from 'zod';
import {
  parseContainerId,
  parseDurationNs,
  parseIntegerIn,
  parseMinSeverityNumber,
  parseSpanId,
  parseTimeNs,
  parseTraceId,
} from './query-fields.js';

/**
 * zod building blocks for query.ts: one schema per kind of parameter, each failing with
 * "must be <expected>, got <value>" so that the 400 tells the client how to fix the call.
 */

export const LIMIT_MAX = 1000;
export const NAME_MAX_CHARS = 256;
export const VALUE_MAX_CHARS = 1024;
/** Echoing a long bad value back would only grow the response (and the log). */
const QUOTED_MAX_CHARS = 64;

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTED_MAX_CHARS ? `${text.slice(0, QUOTED_MAX_CHARS)}...` : text);
}

/** One string value, parsed; `expected` completes "must be ...". */
function param<T>(expected: string, parse: (text: string) => T | undefined) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'is required' : Array.isArray(issue.input) ? 'given more than once; give it once' : 'must be one value',
    })
    .transform((text, ctx) => {
      const value = parse(text);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be ${expected}, got ${quote(text)}`, input: text });
        return z.NEVER;
      }
      return value;
    });
}

export function textParam(maxChars: number) {
  return param(`1 to ${maxChars} characters`, (text) => (text.length >= 1 && text.length <= maxChars ? text : undefined));
}

export const time = param('milliseconds since the epoch or an RFC 3339 time', parseTimeNs);
export const durationMs = param('a non-negative number of milliseconds', parseDurationNs);
export const status = param('"error" or "ok"', (text) => (text === 'error' || text === 'ok' ? text : undefined));
export const traceId = param('32 hex digits', parseTraceId);
export const spanId = param('16 hex digits', parseSpanId);
export const containerId = param('64 hex digits', parseContainerId);
export const severity = param('trace, debug, info, warn, error, fatal or a number from 1 to 24', parseMinSeverityNumber);
export const limit = (defaultValue: number) =>
  param(`an integer from 1 to ${LIMIT_MAX}`, (text) => parseIntegerIn(text, 1, LIMIT_MAX)).default(defaultValue);

/** The message of a strict object's unrecognized_keys issue, listing what is allowed. */
export function unknownParams(allowed: readonly string[]) {
  return (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const noun = issue.keys.length === 1 ? 'query parameter' : 'query parameters';
    const list = allowed.length === 0 ? 'none' : allowed.join(', ');
    return `unknown ${noun} ${issue.keys.map(quote).join(', ')}; allowed: ${list}`;
  };
}
