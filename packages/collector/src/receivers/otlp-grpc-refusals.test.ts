/**
 * Every call the OTLP/gRPC receiver refuses is answered with its status, counted in
 * tracedock_otlp_requests_refused_total{protocol="grpc",reason} and logged once per reason.
 */
import { connect, constants as http2Constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { Client, credentials, Metadata, status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans } from '../../../../test/support/otlp-requests.js';
import { eventually } from '../../test/support/collector.js';
import { silentLogger } from '../../test/support/logger.js';
import type { CollectorOptions } from '../config.js';
import { REQUEST_REFUSAL_REASONS, type RequestRefusalReason } from '../pipeline/pipeline-metrics.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { OtlpGrpcReceiver } from './otlp-grpc.js';
import { MAX_BODY_BYTES, QUEUE_MAX_ROWS, REFUSED, ThrowingIngest, TOKEN, realIngest, refusalRig, refusedCounts, type MakeIngest } from './testing/refusal-rig.js';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const GZIP_ALGORITHM = 2;

interface Harness {
  receiver: OtlpGrpcReceiver;
  metrics: MetricsRegistry;
  lines: () => Record<string, unknown>[];
  address: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(options: CollectorOptions = {}, makeIngest: MakeIngest = realIngest): Promise<Harness> {
  const rig = refusalRig({ otlpGrpcPort: 0, ...options }, makeIngest);
  const { config, metrics, logger, lines, queue, guard, ingest } = rig;
  const receiver = new OtlpGrpcReceiver({ config, ingest, metrics, logger, guard });
  const port = await receiver.start();
  cleanups.push(async () => {
    await receiver.shutdown(1_000);
    await queue.shutdown();
  });
  return { receiver, metrics, lines, address: `127.0.0.1:${port}` };
}

function grpcClient(h: Harness, gzip = false): Client {
  const client = new Client(h.address, credentials.createInsecure(), gzip ? { 'grpc.default_compression_algorithm': GZIP_ALGORITHM } : {});
  cleanups.push(() => client.close());
  return client;
}

/** One unary Export call through grpc-js; resolves with its status code. */
function callCode(client: Client, body: Uint8Array, token: string | null = TOKEN, path = TRACE_EXPORT): Promise<number> {
  const metadata = new Metadata();
  if (token !== null) metadata.set('authorization', `Bearer ${token}`);
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, Buffer.from(body), metadata, {}, (error) => resolve(error?.code ?? status.OK));
  });
}

function rawSession(h: Harness): ClientHttp2Session {
  const session = connect(`http://${h.address}`);
  session.on('error', () => undefined);
  cleanups.push(() => void session.close());
  return session;
}

/** A request written by hand, for what grpc-js never sends; resolves with the response headers. */
function rawAnswer(session: ClientHttp2Session, headers: Record<string, string>, body: Uint8Array): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT, authorization: `Bearer ${TOKEN}`, ...headers });
    stream.on('error', reject);
    stream.on('response', resolve);
    stream.resume();
    stream.end(body);
  });
}

/** A gRPC message prefix (compressed flag, big-endian length) and its bytes. */
function frame(payload: Uint8Array, compressed: boolean): Buffer {
  const prefix = Buffer.from([compressed ? 1 : 0, 0, 0, 0, 0]);
  prefix.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([prefix, payload]);
}

/** Makes the call twice: both answered `code`, both counted under `reason` and nothing else. */
async function expectRefusedTwice(h: Harness, reason: RequestRefusalReason, code: number | string, send: () => Promise<number | string | undefined>): Promise<void> {
  const before = refusedCounts(h.metrics, 'grpc');
  for (let i = 0; i < 2; i++) expect(await send(), reason).toBe(code);
  expect(refusedCounts(h.metrics, 'grpc'), reason).toEqual({ ...before, [reason]: before[reason] + 2 });
}

function spans(count: number): Uint8Array {
  return encodeTraceRequestProto(makeTraceSpans({ spanCount: count }));
}

describe('OTLP/gRPC receiver: refusals', () => {
  it('counts each refusal by reason and logs each reason once', async () => {
    const h = await harness();
    const client = grpcClient(h);
    const session = rawSession(h);
    const grpcStatusOf = async (headers: Record<string, string>, body: Uint8Array): Promise<string | undefined> =>
      (await rawAnswer(session, { 'content-type': 'application/grpc', ...headers }, body))['grpc-status']?.toString();
    const httpStatusOf = async (headers: Record<string, string>): Promise<number> =>
      Number((await rawAnswer(session, headers, frame(new Uint8Array(0), false)))[http2Constants.HTTP2_HEADER_STATUS]);

    await expectRefusedTwice(h, 'method_not_allowed', 405, () => httpStatusOf({ ':method': 'PUT', 'content-type': 'application/grpc' }));
    await expectRefusedTwice(h, 'unsupported_media_type', 415, () => httpStatusOf({ 'content-type': 'application/json' }));
    const profiles = '/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export';
    await expectRefusedTwice(h, 'not_found', status.UNIMPLEMENTED, () => callCode(client, spans(1), TOKEN, profiles));
    await expectRefusedTwice(h, 'unauthorized', status.UNAUTHENTICATED, () => callCode(client, spans(1), null));
    const snappy = String(status.UNIMPLEMENTED);
    await expectRefusedTwice(h, 'unsupported_content_encoding', snappy, () => grpcStatusOf({ 'grpc-encoding': 'snappy' }, frame(spans(1), false)));
    await expectRefusedTwice(h, 'too_large', status.RESOURCE_EXHAUSTED, () => callCode(client, Buffer.alloc(MAX_BODY_BYTES + 1)));
    // Small on the wire, too large inflated.
    await expectRefusedTwice(h, 'too_large', status.RESOURCE_EXHAUSTED, () => callCode(grpcClient(h, true), Buffer.alloc(16 * MAX_BODY_BYTES)));
    // More spans than the whole queue holds: not retryable.
    await expectRefusedTwice(h, 'too_large', status.INVALID_ARGUMENT, () => callCode(client, spans(QUEUE_MAX_ROWS + 1)));
    const corrupt = frame(Buffer.from('not gzip at all'), true);
    await expectRefusedTwice(h, 'bad_compression', String(status.INTERNAL), () => grpcStatusOf({ 'grpc-encoding': 'gzip' }, corrupt));
    await expectRefusedTwice(h, 'invalid', status.INVALID_ARGUMENT, () => callCode(client, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])));
    expect(await callCode(client, spans(6))).toBe(status.OK); // stays queued: the batch waits a minute
    await expectRefusedTwice(h, 'queue_full', status.RESOURCE_EXHAUSTED, () => callCode(client, spans(6)));

    // A call that does not end holds the only slot; empty exports probe until it does. (It is
    // ended, not reset: Node ends a reset stream's readable side before it says it was aborted.)
    const held = session.request({ ':method': 'POST', ':path': TRACE_EXPORT, 'content-type': 'application/grpc', authorization: `Bearer ${TOKEN}` });
    held.on('error', () => undefined);
    const heldAnswer = new Promise<IncomingHttpHeaders>((resolve) => held.once('response', resolve));
    held.resume();
    held.write(frame(new Uint8Array(0), false));
    const before = refusedCounts(h.metrics, 'grpc');
    await eventually(async () => ((await callCode(client, new Uint8Array(0))) === status.RESOURCE_EXHAUSTED ? true : undefined), 'RESOURCE_EXHAUSTED while a call holds the slot');
    expect(await callCode(client, new Uint8Array(0))).toBe(status.RESOURCE_EXHAUSTED);
    expect(refusedCounts(h.metrics, 'grpc')).toEqual({ ...before, too_many_requests: 2 });
    held.end();
    expect(Number((await heldAnswer)[http2Constants.HTTP2_HEADER_STATUS])).toBe(200);

    h.receiver.stopAccepting();
    await expectRefusedTwice(h, 'shutting_down', status.UNAVAILABLE, () => callCode(client, spans(1)));

    const messages = h.lines().map((line) => String(line.msg));
    for (const reason of REQUEST_REFUSAL_REASONS.filter((r) => r !== 'unauthorized' && r !== 'internal_error')) {
      expect(messages.filter((m) => m.startsWith(`OTLP/gRPC request refused: ${reason} `)), reason).toHaveLength(1);
    }
    // The ingest guard's own notice, not a second one from the receiver.
    expect(messages.filter((m) => m.startsWith('OTLP request without a valid ingest token refused'))).toHaveLength(1);
    expect(messages).toHaveLength(REQUEST_REFUSAL_REASONS.length - 1);
    expect(h.lines().find((line) => line.reason === 'too_large')).toMatchObject({
      level: 30,
      protocol: 'grpc',
      grpcStatus: status.RESOURCE_EXHAUSTED,
      signal: 'traces',
      detail: `the message is ${MAX_BODY_BYTES + 1} bytes, larger than the limit of ${MAX_BODY_BYTES} bytes`,
      client: '127.0.0.1',
    });
    expect(h.lines().find((line) => line.reason === 'queue_full')).toMatchObject({ level: 40, grpcStatus: status.RESOURCE_EXHAUSTED });
  });

  it('answers a handler failure INTERNAL without internals, counted and logged at error', async () => {
    const h = await harness({}, (queue, metrics) => new ThrowingIngest(queue, metrics, silentLogger));
    await expectRefusedTwice(h, 'internal_error', status.INTERNAL, () => callCode(grpcClient(h), spans(1)));
    const logged = h.lines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, reason: 'internal_error', err: expect.objectContaining({ message: 'a bug' }) });
  });
});
