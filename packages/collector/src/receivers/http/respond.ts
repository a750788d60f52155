import type { ServerResponse } from 'node:http';
import type { Signal } from '../../model/decoded.js';
import type { RequestRefusalReason } from '../../pipeline/pipeline-metrics.js';
import { encodeExportResponse, encodeStatus } from '../otlp/response.js';
import { contentTypeOf, type WireEncoding } from './media.js';

/** google.rpc.Code values carried in the Status body of OTLP/HTTP error responses. */
export const GRPC_CODE = {
  invalidArgument: 3,
  notFound: 5,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

export type GrpcCode = (typeof GRPC_CODE)[keyof typeof GRPC_CODE];

/** An OTLP/HTTP error: the HTTP status, the Status code and message of its body. */
export interface HttpError {
  status: number;
  code: GrpcCode;
  /** Its label in tracedock_otlp_requests_refused_total. */
  reason: RequestRefusalReason;
  message: string;
  /** Seconds, sent as Retry-After (429, 503). */
  retryAfterSeconds?: number;
  /** Extra headers, e.g. Allow on a 405. */
  headers?: Record<string, string>;
}

/** Browser OTLP exporters send from another origin; the data is write-only, so `*` is safe. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
} as const;

const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Uint8Array,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...CORS_HEADERS,
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(body.byteLength),
  });
  res.end(body);
}

/** 200 with the Export*ServiceResponse, partial_success set when records were rejected. */
export function sendExportResponse(
  res: ServerResponse,
  signal: Signal,
  encoding: WireEncoding,
  rejected: number,
  message: string,
): void {
  send(res, 200, contentTypeOf(encoding), encodeExportResponse(signal, encoding, rejected, message), {});
}

/**
 * An error with a google.rpc.Status body in the request's encoding (JSON where it is not
 * known). `closeConnection` after an internal error, when the request state is unknown.
 */
export function sendError(
  res: ServerResponse,
  error: HttpError,
  encoding: WireEncoding,
  closeConnection = false,
): void {
  const headers: Record<string, string> = { ...error.headers };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (closeConnection) headers.Connection = 'close';
  send(res, error.status, contentTypeOf(encoding), encodeStatus(encoding, error.code, error.message), headers);
}

/** Answers a CORS preflight for POSTs of OTLP bodies. */
export function sendPreflight(res: ServerResponse, requestedHeaders: string | undefined): void {
  if (res.headersSent) return;
  res.writeHead(204, {
    ...CORS_HEADERS,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': requestedHeaders ?? 'Content-Type, Content-Encoding',
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
  });
  res.end();
}
