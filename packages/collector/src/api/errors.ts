import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../telemetry/logger.js';

/**
 * The one error registry of the query API: every error response carries one of these codes,
 * which clients may switch on; the status and default message belong to the code.
 * Wire shape: `{ "error": { "code": "bad_request", "message": "limit: must be ..." } }`.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, message: 'The request is not valid.' },
  not_found: { status: 404, message: 'Not found.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The request body encoding is not supported.' },
  internal: { status: 500, message: 'Internal error; the collector log has the details.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Thrown by routes for an expected failure; its message is safe to show to the client. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string = ERROR_CODES[code].message) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }
}

/** More issues than this only repeat the lesson and grow the response. */
const ISSUES_SHOWN_MAX = 5;
const PATH_SHOWN_MAX_CHARS = 200;

/** "start: must be ..." for each issue; the path names the query or path parameter. */
export function describeZodError(error: ZodError): string {
  const parts = error.issues.slice(0, ISSUES_SHOWN_MAX).map((issue) => {
    const name = issue.path.map(String).join('.');
    return name === '' ? issue.message : `${name}: ${issue.message}`;
  });
  const hidden = error.issues.length - parts.length;
  return hidden > 0 ? `${parts.join('; ')}; and ${hidden} more` : parts.join('; ');
}

/** Errors of express' own body parsers (body-parser / raw-body), by their `type`. */
function fromBodyParser(type: string, limitBytes: unknown): ApiError | undefined {
  switch (type) {
    case 'entity.parse.failed':
      return new ApiError('bad_request', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new ApiError(
        'payload_too_large',
        typeof limitBytes === 'number' ? `The request body is larger than ${limitBytes} bytes.` : undefined,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type');
    default:
      return undefined;
  }
}

/** Maps anything thrown or passed to next() onto the registry; unknown errors are internal. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return new ApiError('bad_request', describeZodError(err));
  if (typeof err !== 'object' || err === null) return new ApiError('internal');
  if ('type' in err && typeof err.type === 'string') {
    const parsed = fromBodyParser(err.type, 'limit' in err ? err.limit : undefined);
    if (parsed !== undefined) return parsed;
  }
  // http-errors from express, the router and serve-static; only 4xx are the client's doing.
  const status = 'status' in err && typeof err.status === 'number' ? err.status : undefined;
  if (status === undefined || status < 400 || status >= 500) return new ApiError('internal');
  if (status === ERROR_CODES.not_found.status) return new ApiError('not_found');
  if (status === ERROR_CODES.payload_too_large.status) return new ApiError('payload_too_large');
  if (status === ERROR_CODES.unsupported_media_type.status) return new ApiError('unsupported_media_type');
  return new ApiError('bad_request');
}

/** The path as the client sent it: inside a mounted router `req.path` lacks the mount point. */
function requestPath(req: Request): string {
  const url = req.originalUrl;
  const queryAt = url.indexOf('?');
  return (queryAt === -1 ? url : url.slice(0, queryAt)).slice(0, PATH_SHOWN_MAX_CHARS);
}

/** Ends the chain for a path no route claimed. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `No such endpoint: ${req.method} ${requestPath(req)}`));
};

/**
 * The one error handler: 4xx are the client's business (info), 5xx are ours (error, with
 * the stack). The response never carries a stack, an SQL text or another library's message.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const apiError = toApiError(err);
    const request = { method: req.method, path: requestPath(req) };
    if (apiError.status >= 500) {
      logger.error({ err, ...request, code: apiError.code }, 'query API request failed');
    } else {
      logger.info({ ...request, code: apiError.code, reason: apiError.message }, 'query API request rejected');
    }
    // Once a body has started there is no status to change; express then closes the socket.
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message } });
  };
}
