import { connect, constants as http2Constants } from 'node:http2';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from '../../../../test/support/otlp-requests.js';
import { eventually, startTestCollector, type TestCollector } from '../../test/support/collector.js';
import { silentLogger } from '../../test/support/logger.js';
import { loadConfig } from '../config.js';
import { Ingest } from '../pipeline/ingest.js';
import { WriteQueue } from '../pipeline/write-queue.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { OtlpGrpcReceiver } from './otlp-grpc.js';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS_EXPORT = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const METRICS_EXPORT = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
const GZIP_ALGORITHM = 2;

const clients: Client[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** A raw grpc-js client: bytes in, bytes out, like any OTLP exporter on the wire. */
function rawClient(c: Pick<TestCollector, 'otlpGrpcAddress'>, gzip = false): Client {
  const options = gzip ? { 'grpc.default_compression_algorithm': GZIP_ALGORITHM } : {};
  const client = new Client(c.otlpGrpcAddress, credentials.createInsecure(), options);
  clients.push(client);
  return client;
}

function call(client: Client, path: string, body: Uint8Array): Promise<{ error: ServiceError | null; response: Buffer | undefined }> {
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, Buffer.from(body), new Metadata(), {}, (error, response) =>
      resolve({ error, response }),
    );
  });
}

/** ExportTraceServiceResponse.partial_success.rejected_spans (0 when absent). */
function rejectedSpans(response: Uint8Array): number {
  const outer = new BinaryReader(response);
  while (outer.pos < outer.len) {
    const [field, wireType] = outer.tag();
    if (field !== 1 || wireType !== WireType.LengthDelimited) {
      outer.skip(wireType);
      continue;
    }
    const inner = new BinaryReader(outer.bytes());
    while (inner.pos < inner.len) {
      const [innerField, innerType] = inner.tag();
      if (innerField === 1 && innerType === WireType.Varint) return Number(inner.int64());
      inner.skip(innerType);
    }
  }
  return 0;
}

async function stored(c: TestCollector, traceId: string, spans: number): Promise<void> {
  await eventually(async () => ((await c.store.getTraceSpans(traceId)).length === spans ? true : undefined), `${spans} spans of ${traceId}`);
}

describe('OTLP/gRPC receiver', () => {
  it('stores spans sent by the OpenTelemetry gRPC exporter, gzip-compressed', async () => {
    const c = await startTestCollector();
    const exporter = new OTLPTraceExporter({ url: `http://${c.otlpGrpcAddress}`, compression: CompressionAlgorithm.GZIP });
    const traceId = randomTraceId();
    try {
      const result = await new Promise<ExportResult>((resolve) => exporter.export(makeTraceSpans({ traceId, spanCount: 4 }), resolve));
      expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    } finally {
      await exporter.shutdown();
    }
    await stored(c, traceId, 4);
    expect(c.collector.metrics.value('tracedock_spans_received_total', { protocol: 'grpc' })).toBe(4);
  });

  it('reports invalid spans as a partial success and stores the rest', async () => {
    const c = await startTestCollector();
    const traceId = randomTraceId();
    const body = encodeTraceRequestProto([...makeTraceSpans({ traceId, spanCount: 2 }), ...makeTraceSpans({ traceId: 'abcd' })]);
    const { error, response } = await call(rawClient(c), TRACE_EXPORT, body);
    expect(error).toBeNull();
    expect(rejectedSpans(response ?? Buffer.alloc(0))).toBe(1);
    await stored(c, traceId, 2);
  });

  it('answers undecodable requests INVALID_ARGUMENT with a message, on every service', async () => {
    const c = await startTestCollector();
    const client = rawClient(c);
    for (const path of [TRACE_EXPORT, LOGS_EXPORT, METRICS_EXPORT]) {
      const { error } = await call(client, path, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
      expect(error?.code, path).toBe(status.INVALID_ARGUMENT);
      expect(error?.details, path).not.toBe('');
    }
    expect((await call(client, LOGS_EXPORT, new Uint8Array(0))).error).toBeNull();
    expect((await call(client, METRICS_EXPORT, new Uint8Array(0))).error).toBeNull();
  });

  it('refuses messages over maxBodyBytes, inflated size included (a gzip bomb)', async () => {
    const c = await startTestCollector({ maxBodyBytes: 64 * 1024 });
    const big = encodeTraceRequestProto(makeTraceSpans({ spanCount: 2_000 }));
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect((await call(rawClient(c), TRACE_EXPORT, big)).error?.code).toBe(status.RESOURCE_EXHAUSTED);
    const bomb = await call(rawClient(c, true), TRACE_EXPORT, Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    const traceId = randomTraceId();
    expect((await call(rawClient(c, true), TRACE_EXPORT, encodeTraceRequestProto(makeTraceSpans({ traceId })))).error).toBeNull();
    await stored(c, traceId, 1);
  });

  it('answers RESOURCE_EXHAUSTED when the queue is full', async () => {
    const c = await startTestCollector({ queueMaxRows: 5, batchMaxRows: 5, batchMaxDelayMillis: 60_000 });
    const client = rawClient(c);
    expect((await call(client, TRACE_EXPORT, encodeTraceRequestProto(makeTraceSpans({ spanCount: 3 })))).error).toBeNull();
    const full = await call(client, TRACE_EXPORT, encodeTraceRequestProto(makeTraceSpans({ spanCount: 3 })));
    expect(full.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(full.error?.details).toContain('full');
  });

  it('answers UNAVAILABLE once it stops accepting', async () => {
    const config = loadConfig({ host: '127.0.0.1', otlpGrpcPort: 0 }, {});
    const metrics = new MetricsRegistry();
    const store = { writeSpans: async () => ({ ok: true as const, written: 0 }), writeLogs: async () => ({ ok: true as const, written: 0 }), writeMetricPoints: async () => ({ ok: true as const, written: 0 }) };
    const queue = new WriteQueue({ store, config, metrics, logger: silentLogger });
    queue.start();
    const receiver = new OtlpGrpcReceiver({ config, ingest: new Ingest(queue, metrics, silentLogger), metrics, logger: silentLogger });
    const port = await receiver.start();
    try {
      receiver.stopAccepting();
      const { error } = await call(rawClient({ otlpGrpcAddress: `127.0.0.1:${port}` }), TRACE_EXPORT, new Uint8Array(0));
      expect(error?.code).toBe(status.UNAVAILABLE);
    } finally {
      for (const client of clients.splice(0)) client.close();
      await receiver.shutdown(1_000);
      await queue.shutdown();
    }
  });

  it('answers an unknown method UNIMPLEMENTED, an unknown grpc-encoding UNIMPLEMENTED, and a non-gRPC POST 415', async () => {
    const c = await startTestCollector();
    {
      const unknown = await call(rawClient(c), '/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export', new Uint8Array(0));
      expect(unknown.error?.code).toBe(status.UNIMPLEMENTED);
      expect(unknown.error?.details).toContain('unknown method /opentelemetry.proto.collector.profiles');
      const session = connect(`http://${c.otlpGrpcAddress}`);
      try {
        const answer = (headers: Record<string, string>): Promise<Record<string, unknown>> =>
          new Promise((resolve, reject) => {
            const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT, ...headers }, { endStream: false });
            stream.on('error', reject);
            stream.on('response', (head) => resolve(head));
            stream.resume();
            stream.end(Buffer.from([0, 0, 0, 0, 0]));
          });
        const snappy = await answer({ 'content-type': 'application/grpc', 'grpc-encoding': 'snappy' });
        expect(snappy['grpc-status']).toBe(String(status.UNIMPLEMENTED));
        expect(decodeURIComponent(String(snappy['grpc-message']))).toBe('grpc-encoding snappy is not supported (identity,gzip,deflate)');
        const json = await answer({ 'content-type': 'application/json' });
        expect(json[http2Constants.HTTP2_HEADER_STATUS]).toBe(415);
      } finally {
        session.close();
      }
    }
  });
});
