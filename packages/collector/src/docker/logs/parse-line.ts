import type { Attributes } from '../../model/rows.js';
import { parseDockerTimeNs } from '../wire/docker-time.js';
import { attributeValue, isPlainObject } from './json-value.js';
import { severityOf, streamSeverity, type Severity } from './severity.js';
import type { StdStream } from './frame-demux.js';

/** What a container log line says about itself. */
export interface ParsedLine extends Severity {
  body: string;
  attributes: Attributes;
  traceId: string | null;
  spanId: string | null;
  /** The line's own time (pino `time`, `timestamp`, zap `ts`, ...); null when it has none. */
  timeNs: bigint | null;
}

const LEVEL_KEYS = ['level', 'severity', 'lvl', 'loglevel', 'log.level', '@l'] as const;
const MESSAGE_KEYS = ['msg', 'message', '@m'] as const;
const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', '@t'] as const;
const TRACE_KEYS = ['trace_id', 'traceId', 'traceid', 'trace.id'] as const;
const SPAN_KEYS = ['span_id', 'spanId', 'spanid', 'span.id'] as const;
/** Fields kept as attributes at most; a line with more keeps the first ones. */
export const ATTRIBUTES_MAX = 64;
export const IOSTREAM_ATTRIBUTE = 'log.iostream';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZEROS = /^0+$/;

function first(fields: Record<string, unknown>, keys: readonly string[]): { key: string; value: unknown } | null {
  for (const key of keys) if (fields[key] !== undefined) return { key, value: fields[key] };
  return null;
}

function hexId(value: unknown, pattern: RegExp): string | null {
  if (typeof value !== 'string') return null;
  const id = value.trim().toLowerCase();
  return pattern.test(id) && !ZEROS.test(id) ? id : null;
}

/** Epoch numbers by magnitude: seconds (zap's float ts), ms (pino), µs, ns. */
function numericTimeNs(value: number): bigint | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  if (value >= 1e17) return BigInt(Math.round(value));
  if (value >= 1e14) return BigInt(Math.round(value)) * 1_000n;
  if (value >= 1e11) return BigInt(Math.round(value * 1_000)) * 1_000n;
  return BigInt(Math.round(value * 1e6)) * 1_000n;
}

function timeOf(value: unknown): bigint | null {
  if (typeof value === 'number') return numericTimeNs(value);
  if (typeof value !== 'string') return null;
  const exact = parseDockerTimeNs(value.trim());
  if (exact !== null) return exact;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? BigInt(ms) * 1_000_000n : null;
}

function parseJson(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isPlainObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * A JSON line (pino, bunyan, winston, zap, logrus, Serilog compact, ...) → severity, body,
 * attributes and trace context; a plain line → its text with the stream's severity.
 * Every line gets `log.iostream` (stdout/stderr), as OpenTelemetry names it.
 * @example parseLogLine('{"level":30,"time":1714564800000,"msg":"hi","trace_id":"…"}', 'stdout')
 */
export function parseLogLine(text: string, stream: StdStream): ParsedLine {
  const fields = parseJson(text);
  if (fields === null) {
    return { ...streamSeverity(stream), body: text, attributes: { [IOSTREAM_ATTRIBUTE]: stream }, traceId: null, spanId: null, timeNs: null };
  }
  const level = first(fields, LEVEL_KEYS);
  const message = first(fields, MESSAGE_KEYS);
  const time = first(fields, TIME_KEYS);
  const trace = first(fields, TRACE_KEYS);
  const span = first(fields, SPAN_KEYS);
  const severity = severityOf(level?.value);
  const timeNs = timeOf(time?.value);
  const traceId = hexId(trace?.value, TRACE_ID);
  const spanId = hexId(span?.value, SPAN_ID);
  // A field that could not be read as what its name says stays an attribute.
  const used = new Set([
    severity === null ? undefined : level?.key,
    message?.key,
    timeNs === null ? undefined : time?.key,
    traceId === null ? undefined : trace?.key,
    spanId === null ? undefined : span?.key,
  ]);
  const attributes: Attributes = { [IOSTREAM_ATTRIBUTE]: stream };
  let kept = 0;
  for (const [key, value] of Object.entries(fields)) {
    if (used.has(key)) continue;
    if (kept >= ATTRIBUTES_MAX) break;
    attributes[key] = attributeValue(value);
    kept += 1;
  }
  const body = typeof message?.value === 'string' ? message.value : message === null ? text : JSON.stringify(message.value);
  return {
    ...(severity ?? streamSeverity(stream)),
    body,
    attributes,
    traceId,
    spanId,
    timeNs,
  };
}
