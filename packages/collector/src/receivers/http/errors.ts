import { GRPC_CODE, type HttpError } from './respond.js';

/**
 * Every error the OTLP/HTTP receiver answers, in one place: the HTTP status (per the OTLP
 * spec), the google.rpc.Code of the Status body, and a message that tells the sender what
 * to change. Nothing internal goes into a message.
 */
export const otlpHttpErrors = {
  notFound: (path: string): HttpError => ({
    status: 404,
    code: GRPC_CODE.notFound,
    message: `no OTLP endpoint at ${path}; use /v1/traces, /v1/logs or /v1/metrics`,
  }),
  methodNotAllowed: (method: string): HttpError => ({
    status: 405,
    code: GRPC_CODE.unimplemented,
    message: `${method} is not allowed; OTLP exports are POSTs`,
    headers: { Allow: 'POST, OPTIONS' },
  }),
  unsupportedContentType: (header: string | undefined): HttpError => ({
    status: 415,
    code: GRPC_CODE.invalidArgument,
    message: `Content-Type must be application/x-protobuf or application/json, got ${JSON.stringify(header ?? '')}`,
  }),
  unsupportedContentEncoding: (header: string | undefined): HttpError => ({
    status: 415,
    code: GRPC_CODE.invalidArgument,
    message: `Content-Encoding must be gzip, deflate or identity, got ${JSON.stringify(header ?? '')}`,
  }),
  /** No ingest token, or not this collector's (auth/ingest-guard.ts). */
  unauthorized: (message: string): HttpError => ({
    status: 401,
    code: GRPC_CODE.unauthenticated,
    message,
    headers: { 'WWW-Authenticate': 'Bearer realm="tracedock OTLP"' },
  }),
  /** The body (or what it inflates to) passed maxBodyBytes, or holds more rows than the queue. */
  tooLarge: (message: string): HttpError => ({ status: 413, code: GRPC_CODE.invalidArgument, message }),
  invalid: (message: string): HttpError => ({ status: 400, code: GRPC_CODE.invalidArgument, message }),
  /** Back-pressure: the queue is full or too many bodies are in flight. */
  tooManyRequests: (message: string, retryAfterSeconds: number): HttpError => ({
    status: 429,
    code: GRPC_CODE.resourceExhausted,
    message,
    retryAfterSeconds,
  }),
  shuttingDown: (message: string, retryAfterSeconds: number): HttpError => ({
    status: 503,
    code: GRPC_CODE.unavailable,
    message,
    retryAfterSeconds,
  }),
  internal: (): HttpError => ({ status: 500, code: GRPC_CODE.internal, message: 'internal error' }),
} as const;
