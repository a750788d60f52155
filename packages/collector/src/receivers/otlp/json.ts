import type { OtlpDecoder } from '../../model/decoded.js';
import { decodeLogsJson } from './json-logs.js';
import { decodeMetricsJson } from './json-metrics.js';
import { parseJsonExact } from './json-parse.js';
import { ShapeError, shapeMessage } from './json-shape.js';
import { decodeTraceJson } from './json-traces.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Body bytes to a JSON value; an empty body is invalid JSON, not an empty request. */
function parse(body: Uint8Array): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, message: 'invalid JSON: the body is not UTF-8' };
  }
  try {
    return { ok: true, value: parseJsonExact(text) };
  } catch (error) {
    return { ok: false, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Why a parsed body is not the expected request: the field path for shape errors. */
function failure(messageType: string, error: unknown): { ok: false; message: string } {
  if (error instanceof ShapeError) return { ok: false, message: `invalid OTLP/JSON ${messageType}: ${shapeMessage(error)}` };
  return { ok: false, message: `invalid OTLP/JSON ${messageType}: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * The OTLP/JSON decoders: lowerCamelCase keys, hex ids (any case), int64 as decimal strings
 * or numbers (exact beyond 2^53), enums as numbers or names, bytes as base64. Every field is
 * checked at run time; unknown fields are ignored, as the OTLP spec asks.
 *
 * @example
 * const decoded = jsonDecoder.logs(body, nowNs);
 * if (decoded.ok && decoded.rejected > 0) log.info(decoded.rejectMessage);
 */
export const jsonDecoder: OtlpDecoder = {
  traces(body) {
    const parsed = parse(body);
    if (!parsed.ok) return parsed;
    try {
      const { rows, rejections } = decodeTraceJson(parsed.value);
      return { ok: true, rows, rejected: rejections.count, rejectMessage: rejections.message() };
    } catch (error) {
      return failure('ExportTraceServiceRequest', error);
    }
  },
  logs(body, nowNs) {
    const parsed = parse(body);
    if (!parsed.ok) return parsed;
    try {
      const { rows, rejections } = decodeLogsJson(parsed.value, nowNs);
      return { ok: true, rows, rejected: rejections.count, rejectMessage: rejections.message() };
    } catch (error) {
      return failure('ExportLogsServiceRequest', error);
    }
  },
  metrics(body) {
    const parsed = parse(body);
    if (!parsed.ok) return parsed;
    try {
      const { rows, rejections } = decodeMetricsJson(parsed.value);
      return { ok: true, rows, rejected: rejections.count, rejectMessage: rejections.message() };
    } catch (error) {
      return failure('ExportMetricsServiceRequest', error);
    }
  },
};
