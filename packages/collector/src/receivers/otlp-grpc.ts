import {
  constants as http2Constants,
  createServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { IngestGuard } from '../auth/ingest-guard.js';
import type { CollectorConfig } from '../config.js';
import { within } from '../lifecycle/within.js';
import type { Signal } from '../model/decoded.js';
import type { ExportOutcome, Ingest } from '../pipeline/ingest.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { ACCEPTED_ENCODINGS, encodeGrpcMessage, frameMessage, GRPC_STATUS, messageEncodingOf, MESSAGE_PREFIX_BYTES, unaryMessage, type GrpcStatus, type MessageEncoding } from './grpc/frames.js';
import { listenHttp } from './http/listen.js';
import { protoDecoder } from './otlp/proto.js';
import { encodeExportResponse } from './otlp/response.js';
import { RequestRefusals, type ReceiverRefusalReason } from './refusals.js';

export interface OtlpGrpcReceiverOptions {
  config: Pick<CollectorConfig, 'host' | 'otlpGrpcPort' | 'maxBodyBytes' | 'maxConcurrentRequests'>;
  ingest: Ingest;
  /** Where refused calls are counted (tracedock_otlp_requests_refused_total{protocol="grpc"}). */
  metrics: MetricsRegistry;
  logger: Logger;
  /** The ingest token check (metadata `authorization: Bearer <token>`); without one every call is let in. */
  guard?: IngestGuard;
}

const SIGNALS: ReadonlyMap<string, Signal> = new Map([
  ['/opentelemetry.proto.collector.trace.v1.TraceService/Export', 'traces'],
  ['/opentelemetry.proto.collector.logs.v1.LogsService/Export', 'logs'],
  ['/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', 'metrics'],
]);

/** OTLP/gRPC: RESOURCE_EXHAUSTED and UNAVAILABLE are retryable, INVALID_ARGUMENT is not. */
const QUEUE_REFUSALS = {
  full: { reason: 'queue_full', status: GRPC_STATUS.RESOURCE_EXHAUSTED },
  shutting_down: { reason: 'shutting_down', status: GRPC_STATUS.UNAVAILABLE },
  too_large: { reason: 'too_large', status: GRPC_STATUS.INVALID_ARGUMENT },
} as const;

/**
 * HTTP/2 flow-control windows. With the protocol's default of 64 KiB a 512-span export
 * (~100 KiB) waits for WINDOW_UPDATEs from this process, one event-loop turn each, which on a
 * busy machine is what limits a sequential exporter; these let a whole message arrive at once.
 * They are permission to send, not memory: what is buffered stays bounded by the in-flight
 * limit times maxBodyBytes.
 */
const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;
/** A whole call must arrive within this, as on the HTTP side; a stalled one is reset. */
const CALL_TIMEOUT_MILLIS = 30_000;
const MIB = 1024 * 1024;

/**
 * OTLP/gRPC on node:http2 (the hot path, so no generic gRPC server in between): the unary
 * Export method of TraceService, LogsService and MetricsService, messages identity, gzip or
 * deflate. A message above maxBodyBytes, inflated size included, is refused with
 * RESOURCE_EXHAUSTED; at most maxConcurrentRequests calls are read at once across all
 * connections (RESOURCE_EXHAUSTED beyond). Every failure is a gRPC status with a message,
 * counted by reason in /metrics and logged at most once a minute per reason. The size check is
 * ours (there is no grpc-js server in between to refuse a message before this code sees it).
 * @example
 * const receiver = new OtlpGrpcReceiver({ config, ingest, metrics, logger });
 * const port = await receiver.start();
 */
export class OtlpGrpcReceiver {
  readonly #options: OtlpGrpcReceiverOptions;
  readonly #server: Http2Server;
  readonly #sessions = new Set<Http2Session>();
  readonly #refusals: RequestRefusals;
  #inFlight = 0;
  #closing = false;

  constructor(options: OtlpGrpcReceiverOptions) {
    this.#options = options;
    this.#refusals = new RequestRefusals('grpc', options.metrics, options.logger);
    const { maxConcurrentRequests, maxBodyBytes } = options.config;
    this.#server = createServer({
      settings: { initialWindowSize: STREAM_WINDOW_BYTES, maxConcurrentStreams: maxConcurrentRequests },
      // nghttp2's own bound (default 10 MB) would refuse the windows above; ours is the in-flight limit.
      maxSessionMemory: Math.ceil(((maxConcurrentRequests + 1) * (maxBodyBytes + MESSAGE_PREFIX_BYTES)) / MIB) + CONNECTION_WINDOW_BYTES / MIB,
    });
    this.#server.on('session', (session: Http2Session) => this.#onSession(session));
    this.#server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => this.#onStream(stream, headers));
  }

  /** Listens on config.host:otlpGrpcPort and resolves with the bound port. */
  start(): Promise<number> {
    return listenHttp(this.#server, this.#options.config.otlpGrpcPort, this.#options.config.host);
  }

  /** From now on calls get UNAVAILABLE. */
  stopAccepting(): void {
    this.#closing = true;
  }

  /** Stops accepting, lets calls in flight finish for up to timeoutMillis (GOAWAY), then cuts the rest. */
  async shutdown(timeoutMillis: number): Promise<void> {
    this.stopAccepting();
    const closed = new Promise<void>((resolve) => {
      if (this.#server.listening) this.#server.close(() => resolve());
      else resolve();
    });
    for (const session of this.#sessions) session.close();
    try {
      await within(closed, timeoutMillis);
    } finally {
      for (const session of this.#sessions) session.destroy();
    }
  }

  #onSession(session: Http2Session): void {
    this.#sessions.add(session);
    session.once('close', () => this.#sessions.delete(session));
    // A client that goes away mid-call is not the process's problem.
    session.on('error', () => undefined);
    session.once('remoteSettings', () => {
      if (!session.destroyed) session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
    });
  }

  #onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const path = headers[':path'] ?? '';
    if (headers[':method'] !== 'POST') return this.#refuseHttp(stream, 'method_not_allowed', 405, `${headers[':method']} ${path}: gRPC calls are POSTs`);
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      const text = `content-type ${JSON.stringify(headers['content-type'] ?? '')} is not application/grpc`;
      return this.#refuseHttp(stream, 'unsupported_media_type', 415, text);
    }
    const signal = SIGNALS.get(path);
    if (signal === undefined) {
      const message = `unknown method ${path}: this is an OTLP receiver (TraceService, LogsService, MetricsService Export)`;
      return this.#refuse(stream, 'not_found', GRPC_STATUS.UNIMPLEMENTED, message);
    }
    // The guard counts and logs its own refusals.
    const unauthorized = this.#options.guard?.check(headers.authorization, 'grpc');
    if (unauthorized !== undefined) return refuse(stream, GRPC_STATUS.UNAUTHENTICATED, unauthorized);
    if (this.#closing) return this.#refuse(stream, 'shutting_down', GRPC_STATUS.UNAVAILABLE, 'the collector is shutting down', signal);
    const encoding = messageEncodingOf(headers['grpc-encoding']);
    if (encoding === undefined) {
      const message = `grpc-encoding ${String(headers['grpc-encoding'])} is not supported (${ACCEPTED_ENCODINGS})`;
      return this.#refuse(stream, 'unsupported_content_encoding', GRPC_STATUS.UNIMPLEMENTED, message, signal);
    }
    if (this.#inFlight >= this.#options.config.maxConcurrentRequests) {
      const message = `more than ${this.#options.config.maxConcurrentRequests} calls at once; retry later`;
      return this.#refuse(stream, 'too_many_requests', GRPC_STATUS.RESOURCE_EXHAUSTED, message, signal);
    }
    this.#inFlight++;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.#inFlight--;
    };
    stream.once('close', finish);
    this.#read(stream, signal, encoding)
      .catch((error: unknown) => this.#refuse(stream, 'internal_error', GRPC_STATUS.INTERNAL, 'internal error', signal, error))
      .finally(finish);
  }

  async #read(stream: ServerHttp2Stream, signal: Signal, encoding: MessageEncoding): Promise<void> {
    const { maxBodyBytes } = this.#options.config;
    const data = await readCall(stream, maxBodyBytes);
    if (!data.ok) {
      if (data.message === undefined) return;
      this.#refuse(stream, 'too_large', GRPC_STATUS.RESOURCE_EXHAUSTED, data.message, signal);
      // The client may still be sending: ask it to stop (RST_STREAM NO_ERROR, RFC 9113 §8.1).
      if (!stream.destroyed) stream.close(http2Constants.NGHTTP2_NO_ERROR);
      return;
    }
    const message = await unaryMessage(data.bytes, encoding, maxBodyBytes);
    if (!message.ok) return this.#refuse(stream, message.reason, message.status, message.message, signal);
    if (this.#closing) return this.#refuse(stream, 'shutting_down', GRPC_STATUS.UNAVAILABLE, 'the collector is shutting down', signal);
    this.#reply(stream, signal, this.#options.ingest.export(signal, protoDecoder, message.payload, 'grpc'));
  }

  #reply(stream: ServerHttp2Stream, signal: Signal, outcome: ExportOutcome): void {
    switch (outcome.kind) {
      case 'accepted':
        return respondMessage(stream, encodeExportResponse(signal, 'proto', outcome.rejected, outcome.message));
      case 'invalid':
        return this.#refuse(stream, 'invalid', GRPC_STATUS.INVALID_ARGUMENT, outcome.message, signal);
      case 'refused': {
        const { reason, status } = QUEUE_REFUSALS[outcome.reason];
        return this.#refuse(stream, reason, status, outcome.message, signal);
      }
    }
  }

  /** Counts and logs a refused call, and answers it with `status`. */
  #refuse(stream: ServerHttp2Stream, reason: ReceiverRefusalReason, status: GrpcStatus, message: string, signal?: Signal, err?: unknown): void {
    this.#refusals.record(reason, { grpcStatus: status, detail: message, signal, client: clientOf(stream), err });
    refuse(stream, status, message);
  }

  /** Counts and logs a request that is not a gRPC call, and answers it in plain HTTP. */
  #refuseHttp(stream: ServerHttp2Stream, reason: ReceiverRefusalReason, status: number, text: string): void {
    this.#refusals.record(reason, { status, detail: text, client: clientOf(stream) });
    respondHttp(stream, status, text);
  }
}

function clientOf(stream: ServerHttp2Stream): string | undefined {
  return stream.session?.socket?.remoteAddress;
}

type CallData = { ok: true; bytes: Buffer } | { ok: false; message?: string };

/**
 * The DATA bytes of a call: at most one message prefix plus maxBodyBytes (refused as soon as
 * the prefix announces more, or more arrives); `{ ok: false }` without a message when the client
 * went away or stalled past CALL_TIMEOUT_MILLIS (the stream is reset: nobody to answer).
 */
function readCall(stream: ServerHttp2Stream, maxBodyBytes: number): Promise<CallData> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const settle = (result: CallData): void => {
      stream.off('data', onData).off('end', onEnd).off('close', onClose);
      stream.setTimeout(0);
      chunks.length = result.ok ? chunks.length : 0;
      resolve(result);
    };
    const tooLarge = (size: number): void => settle({ ok: false, message: `the message is ${size} bytes, larger than the limit of ${maxBodyBytes} bytes` });
    let prefixChecked = false;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      chunks.push(chunk);
      if (bytes > maxBodyBytes + MESSAGE_PREFIX_BYTES) return tooLarge(bytes - MESSAGE_PREFIX_BYTES);
      if (!prefixChecked && bytes >= MESSAGE_PREFIX_BYTES) {
        prefixChecked = true;
        const announced = Buffer.concat(chunks, MESSAGE_PREFIX_BYTES).readUInt32BE(1);
        if (announced > maxBodyBytes) tooLarge(announced);
      }
    };
    const onEnd = (): void => settle({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes) });
    const onClose = (): void => settle({ ok: false });
    stream.on('data', onData).once('end', onEnd).once('close', onClose);
    stream.setTimeout(CALL_TIMEOUT_MILLIS, () => {
      settle({ ok: false });
      stream.close(http2Constants.NGHTTP2_CANCEL);
    });
  });
}

function canRespond(stream: ServerHttp2Stream): boolean {
  return !stream.destroyed && !stream.headersSent;
}

/** A status without a message: the gRPC "trailers-only" response. */
function refuse(stream: ServerHttp2Stream, status: GrpcStatus, message: string): void {
  if (!canRespond(stream)) return;
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-accept-encoding': ACCEPTED_ENCODINGS,
      'grpc-status': String(status),
      'grpc-message': encodeGrpcMessage(message),
    },
    { endStream: true },
  );
}

function respondMessage(stream: ServerHttp2Stream, payload: Uint8Array): void {
  if (!canRespond(stream)) return;
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': ACCEPTED_ENCODINGS }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GRPC_STATUS.OK) }));
  stream.end(frameMessage(payload));
}

/** Not a gRPC call at all: a plain HTTP status and text. */
function respondHttp(stream: ServerHttp2Stream, status: number, text: string): void {
  if (!canRespond(stream)) return;
  stream.respond({ ':status': status, 'content-type': 'text/plain; charset=utf-8' });
  stream.end(text);
}
