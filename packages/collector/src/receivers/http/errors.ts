import { GRPC_CODE, type HttpError } from './respond.js';

/**
 * Every error the OTLP/HTTP receiver answers, in one place: the HTTP status (per the OTLP
 * spec), the google.rpc.Code of the Status body, the reason it is counted under in
 * tracedock_otlp_requests_refused_total, and a message that tells the sender what to change.
 * Nothing internal goes into a message.
 */
export const otlpHttpErrors = {
  notFound: (path: string): HttpError => ({
    status: 404,
    code: GRPC_CODE.notFound,
    reason: 'not_found',
    message: `no OTLP endpoint at ${path}; use /v1/traces, /v1/logs or /v1/metrics`,
  }),
  methodNotAllowed: (method: string): HttpError => ({
    status: 405,
    code: GRPC_CODE.unimplemented,
    reason: 'method_not_allowed',
    message: `${method} is not allowed; OTLP exports are POSTs`,
    headers: { Allow: 'POST, OPTIONS' },
  }),
  unsupportedContentType: (header: string | undefined): HttpError => ({
    status: 415,
    code: GRPC_CODE.invalidArgument,
    reason: 'unsupported_media_type',
    message: `Content-Type must be application/x-protobuf or application/json, got ${JSON.stringify(header ?? '')}`,
  }),
  unsupportedContentEncoding: (header: string | undefined): HttpError => ({
    status: 415,
    code: GRPC_CODE.invalidArgument,
    reason: 'unsupported_content_encoding',
    message: `Content-Encoding must be gzip, deflate or identity, got ${JSON.stringify(header ?? '')}`,
  }),
  /** No ingest token, or not this collector's (auth/ingest-guard.ts). */
  unauthorized: (message: string): HttpError => ({
    status: 401,
    code: GRPC_CODE.unauthenticated,
    reason: 'unauthorized',
    message,
    headers: { 'WWW-Authenticate': 'Bearer realm="tracedock OTLP"' },
  }),
  /** The body (or what it inflates to) passed maxBodyBytes, or holds more rows than the queue. */
  tooLarge: (message: string): HttpError => ({ status: 413, code: GRPC_CODE.invalidArgument, reason: 'too_large', message }),
  /** The gzip/deflate stream is corrupt or truncated. */
  badCompression: (message: string): HttpError => ({ status: 400, code: GRPC_CODE.invalidArgument, reason: 'bad_compression', message }),
  /** The body is not an OTLP export request of the path's signal. */
  invalid: (message: string): HttpError => ({ status: 400, code: GRPC_CODE.invalidArgument, reason: 'invalid', message }),
  /** Back-pressure: too many bodies are in flight. */
  tooManyRequests: (message: string, retryAfterSeconds: number): HttpError => ({
    status: 429,
    code: GRPC_CODE.resourceExhausted,
    reason: 'too_many_requests',
    message,
    retryAfterSeconds,
  }),
  /** Back-pressure: the write queue is full. */
  queueFull: (message: string, retryAfterSeconds: number): HttpError => ({
    status: 429,
    code: GRPC_CODE.resourceExhausted,
    reason: 'queue_full',
    message,
    retryAfterSeconds,
  }),
  shuttingDown: (message: string, retryAfterSeconds: number): HttpError => ({
    status: 503,
    code: GRPC_CODE.unavailable,
    reason: 'shutting_down',
    message,
    retryAfterSeconds,
  }),
  internal: (): HttpError => ({ status: 500, code: GRPC_CODE.internal, reason: 'internal_error', message: 'internal error' }),
} as const;
