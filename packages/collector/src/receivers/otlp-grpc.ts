import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { CollectorConfig } from '../config.js';
import type { ExportOutcome, Ingest } from '../pipeline/ingest.js';
import type { Logger } from '../telemetry/logger.js';
import type { Signal } from './otlp/Decoded.js';
import { protoDecoder } from './otlp/proto.js';
import { encodeExportResponse } from './otlp/response.js';

export interface OtlpGrpcReceiverOptions {
  config: Pick<CollectorConfig, 'host' | 'otlpGrpcPort' | 'maxBodyBytes' | 'maxConcurrentRequests'>;
  ingest: Ingest;
  logger: Logger;
}

const SERVICES: Readonly<Record<Signal, string>> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
};

/** OTLP/gRPC: RESOURCE_EXHAUSTED and UNAVAILABLE are retryable, INVALID_ARGUMENT is not. */
const REFUSAL_CODES = {
  full: status.RESOURCE_EXHAUSTED,
  shutting_down: status.UNAVAILABLE,
  too_large: status.INVALID_ARGUMENT,
} as const;

const identity = (bytes: Buffer): Buffer => bytes;

/** The Export method with raw bytes both ways: decoding goes through protoDecoder, not proto-loader. */
function exportDefinition(signal: Signal): ServiceDefinition {
  return {
    Export: {
      path: `/${SERVICES[signal]}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

function grpcAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * OTLP/gRPC: the TraceService, LogsService and MetricsService Export methods. grpc-js
 * inflates gzip requests and refuses any message, inflated size included, above
 * maxBodyBytes with RESOURCE_EXHAUSTED before it reaches the handler.
 * @example
 * const receiver = new OtlpGrpcReceiver({ config, ingest, logger });
 * const port = await receiver.start();
 */
export class OtlpGrpcReceiver {
  readonly #options: OtlpGrpcReceiverOptions;
  readonly #server: Server;
  #closing = false;

  constructor(options: OtlpGrpcReceiverOptions) {
    this.#options = options;
    this.#server = new Server({
      'grpc.max_receive_message_length': options.config.maxBodyBytes,
      // Bounds the messages one connection can have in memory at once, as the HTTP side does.
      'grpc.max_concurrent_streams': options.config.maxConcurrentRequests,
    });
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      const implementation: UntypedServiceImplementation = {
        Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) =>
          this.#export(signal, call.request, callback),
      };
      this.#server.addService(exportDefinition(signal), implementation);
    }
  }

  /** Listens on config.host:otlpGrpcPort and resolves with the bound port. */
  start(): Promise<number> {
    const { host, otlpGrpcPort } = this.#options.config;
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(grpcAddress(host, otlpGrpcPort), ServerCredentials.createInsecure(), (error, port) => {
        if (error === null) resolve(port);
        else reject(error);
      });
    });
  }

  /** From now on calls get UNAVAILABLE. */
  stopAccepting(): void {
    this.#closing = true;
  }

  /** Stops accepting, lets calls in flight finish for up to timeoutMillis, then cuts the rest. */
  async shutdown(timeoutMillis: number): Promise<void> {
    this.stopAccepting();
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.#server.forceShutdown();
          resolve();
        }, timeoutMillis);
        this.#server.tryShutdown(() => resolve());
      });
    } finally {
      clearTimeout(timer);
    }
  }

  #export(signal: Signal, request: Buffer, callback: sendUnaryData<Buffer>): void {
    if (this.#closing) {
      callback({ code: status.UNAVAILABLE, details: 'the collector is shutting down' });
      return;
    }
    const outcome = this.#options.ingest.export(signal, protoDecoder, request, 'grpc');
    this.#reply(signal, outcome, callback);
  }

  #reply(signal: Signal, outcome: ExportOutcome, callback: sendUnaryData<Buffer>): void {
    switch (outcome.kind) {
      case 'accepted':
      {
        const body = encodeExportResponse(signal, 'proto', outcome.rejected, outcome.message);
        callback(null, Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        return;
      }
      case 'invalid':
        this.#options.logger.info({ signal, reason: outcome.message }, 'OTLP/gRPC request rejected (INVALID_ARGUMENT)');
        callback({ code: status.INVALID_ARGUMENT, details: outcome.message });
        return;
      case 'refused':
        callback({ code: REFUSAL_CODES[outcome.reason], details: outcome.message });
        return;
    }
  }
}
