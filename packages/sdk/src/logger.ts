/**
 * A pino logger with tracedock's defaults. Trace correlation and OTLP export come from the official
 * pino instrumentation that start() enables, which patches pino itself: so pino is required here
 * lazily, after start(), and a logger the app makes with its own `pino()` gets the same.
 */
import { createRequire } from 'node:module';
import type { Logger, LoggerOptions } from 'pino';
import { SelfLog } from './export/self-log.js';
import { currentSdk } from './handle.js';

type PinoFactory = typeof import('pino').pino;
type Redact = NonNullable<LoggerOptions['redact']>;

const requireHere = createRequire(import.meta.url);
const CENSOR = '[Redacted]';
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];
const HEADER_OWNERS = ['req.headers', 'res.headers', 'request.headers', 'response.headers', 'headers'];

/** Credentials that request/response logging would otherwise print: pino redact paths. */
export const DEFAULT_REDACT_PATHS: readonly string[] = HEADER_OWNERS.flatMap((owner) => SECRET_HEADERS.map((header) => `${owner}["${header}"]`));

function withDefaults(redact: Redact | undefined): Redact {
  if (redact === undefined) return { paths: [...DEFAULT_REDACT_PATHS], censor: CENSOR };
  if (Array.isArray(redact)) return { paths: [...DEFAULT_REDACT_PATHS, ...redact], censor: CENSOR };
  return { censor: CENSOR, ...redact, paths: [...DEFAULT_REDACT_PATHS, ...redact.paths] };
}

/**
 * Creates a pino logger whose lines written inside a span carry trace_id and span_id, and which
 * are also exported as OTLP log records with the service's resource. Call start() first.
 * Auth and cookie headers are redacted (DEFAULT_REDACT_PATHS, plus any `redact` paths given).
 * @example
 * const log = createLogger({ level: 'debug' });
 * log.info({ orderId }, 'order placed');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  if (currentSdk() === undefined) {
    new SelfLog('logs').once('logger-first', 'createLogger() before start(): these log lines will carry no trace ids and are not exported');
  }
  const pino = requireHere('pino') as PinoFactory;
  return pino({ ...options, redact: withDefaults(options.redact) });
}
