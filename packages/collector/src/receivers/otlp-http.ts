import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { IngestGuard } from '../auth/ingest-guard.js';
import type { CollectorConfig } from '../config.js';
import type { OtlpDecoder, Signal } from '../model/decoded.js';
import type { ExportOutcome, Ingest } from '../pipeline/ingest.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { otlpHttpErrors as errors } from './http/errors.js';
import { closeHttpServer, listenHttp } from './http/listen.js';
import { contentEncodingOf, wireEncodingOf, type WireEncoding } from './http/media.js';
import { discardBody, readBody } from './http/read-body.js';
import { sendError, sendExportResponse, sendPreflight, type HttpError } from './http/respond.js';
import { jsonDecoder } from './otlp/json.js';
import { protoDecoder } from './otlp/proto.js';
import { RequestRefusals } from './refusals.js';

export interface OtlpHttpReceiverOptions {
  config: Pick<CollectorConfig, 'host' | 'otlpHttpPort' | 'maxBodyBytes' | 'maxConcurrentRequests' | 'retryAfterSeconds'>;
  ingest: Ingest;
  metrics: MetricsRegistry;
  logger: Logger;
  /** The ingest token check; without one every request is let in. */
  guard?: IngestGuard;
}

const SIGNALS: ReadonlyMap<string, Signal> = new Map([
  ['/v1/traces', 'traces'],
  ['/v1/logs', 'logs'],
  ['/v1/metrics', 'metrics'],
]);

const DECODERS: Readonly<Record<WireEncoding, OtlpDecoder>> = { proto: protoDecoder, json: jsonDecoder };

/** A whole request, headers and body, must arrive within this; slow senders hold a slot. */
const REQUEST_TIMEOUT_MILLIS = 30_000;
const HEADERS_TIMEOUT_MILLIS = 10_000;

/**
 * OTLP/HTTP on raw node:http (this is the hot path): POST /v1/traces, /v1/logs, /v1/metrics
 * in protobuf or JSON, optionally gzip/deflate. Every failure is answered with the status
 * the OTLP spec gives it (see ./http/errors.ts), counted by reason in /metrics and logged at
 * most once a minute per reason; none reaches the process.
 * @example
 * const receiver = new OtlpHttpReceiver({ config, ingest, metrics, logger });
 * const port = await receiver.start();
 */
export class OtlpHttpReceiver {
  readonly #options: OtlpHttpReceiverOptions;
  readonly #server: Server;
  readonly #refusals: RequestRefusals;
  #inFlight = 0;
  #closing = false;

  constructor(options: OtlpHttpReceiverOptions) {
    this.#options = options;
    this.#refusals = new RequestRefusals('http', options.metrics, options.logger);
    this.#server = createServer({ requestTimeout: REQUEST_TIMEOUT_MILLIS, headersTimeout: HEADERS_TIMEOUT_MILLIS });
    this.#server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#refusals.record('internal_error', { status: 500, path: req.url, err: error });
        sendError(res, errors.internal(), 'json', true);
      });
    });
  }

  /** Listens on config.host:otlpHttpPort and resolves with the bound port. */
  start(): Promise<number> {
    return listenHttp(this.#server, this.#options.config.otlpHttpPort, this.#options.config.host);
  }

  /** From now on requests get 503 + Retry-After. */
  stopAccepting(): void {
    this.#closing = true;
  }

  /** Stops accepting, waits up to timeoutMillis for requests in flight, then closes every connection. */
  async shutdown(timeoutMillis: number): Promise<void> {
    this.stopAccepting();
    await closeHttpServer(this.#server, timeoutMillis);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { config, ingest } = this.#options;
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const signal = SIGNALS.get(path);
    if (signal === undefined) return this.#refuse(req, res, errors.notFound(path));
    if (req.method === 'OPTIONS') return sendPreflight(res, req.headers['access-control-request-headers']);
    if (req.method !== 'POST') return this.#refuse(req, res, errors.methodNotAllowed(req.method ?? ''));
    const contentType = req.headers['content-type'];
    const encoding = wireEncodingOf(contentType);
    const unauthorized = this.#options.guard?.check(req.headers.authorization, 'http');
    if (unauthorized !== undefined) return this.#refuse(req, res, errors.unauthorized(unauthorized), encoding);
    if (encoding === undefined) return this.#refuse(req, res, errors.unsupportedContentType(contentType));
    const compression = contentEncodingOf(req.headers['content-encoding']);
    if (compression === undefined) {
      return this.#refuse(req, res, errors.unsupportedContentEncoding(req.headers['content-encoding']), encoding);
    }
    if (this.#closing) {
      return this.#refuse(req, res, errors.shuttingDown('the collector is shutting down', config.retryAfterSeconds), encoding);
    }
    // Node has already checked Content-Length is a number; an oversized one is refused unread.
    if (Number(req.headers['content-length'] ?? '0') > config.maxBodyBytes) {
      return this.#refuse(req, res, errors.tooLarge(`the body is larger than ${config.maxBodyBytes} bytes`), encoding);
    }
    if (this.#inFlight >= config.maxConcurrentRequests) {
      const error = errors.tooManyRequests('too many requests in flight', config.retryAfterSeconds);
      return this.#refuse(req, res, error, encoding);
    }
    this.#inFlight += 1;
    const read = await readBody(req, compression, config.maxBodyBytes).finally(() => {
      this.#inFlight -= 1;
    });
    if (!read.ok) {
      if (read.reason === 'aborted') return void this.#options.logger.debug({ path }, read.message);
      const error = read.reason === 'too_large' ? errors.tooLarge(read.message) : errors.badCompression(read.message);
      return this.#refuse(req, res, error, encoding, signal);
    }
    this.#respond(req, res, signal, encoding, ingest.export(signal, DECODERS[encoding], read.body, 'http'));
  }

  #respond(req: IncomingMessage, res: ServerResponse, signal: Signal, encoding: WireEncoding, outcome: ExportOutcome): void {
    const { retryAfterSeconds } = this.#options.config;
    switch (outcome.kind) {
      case 'accepted':
        return sendExportResponse(res, signal, encoding, outcome.rejected, outcome.message);
      case 'invalid':
        return this.#refuse(req, res, errors.invalid(outcome.message), encoding, signal);
      case 'refused': {
        const error = {
          full: () => errors.queueFull(outcome.message, retryAfterSeconds),
          shutting_down: () => errors.shuttingDown(outcome.message, retryAfterSeconds),
          too_large: () => errors.tooLarge(outcome.message),
        }[outcome.reason]();
        return this.#refuse(req, res, error, encoding, signal);
      }
    }
  }

  /** Counts, logs and answers an error; an unread rest of the body is discarded, never buffered. */
  #refuse(req: IncomingMessage, res: ServerResponse, error: HttpError, encoding: WireEncoding = 'json', signal?: Signal): void {
    // The ingest guard has counted and logged its own refusals.
    if (error.reason !== 'unauthorized') {
      const fields = { status: error.status, detail: error.message, signal, client: req.socket.remoteAddress };
      this.#refusals.record(error.reason, fields);
    }
    sendError(res, error, encoding);
    if (!req.complete) discardBody(req, res);
  }
}
