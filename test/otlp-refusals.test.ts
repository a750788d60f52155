import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { encodeTraceRequestProto, makeTraceSpans } from './support/otlp-requests.js';
import { waitFor } from './support/wait.js';

/**
 * The collector CLI in its own process, with a 64 KiB body limit: an OTLP/gRPC export over it
 * (sent by grpc-js, as the JS, Python and Go exporters' gRPC libraries send it) is answered
 * RESOURCE_EXHAUSTED, counted in /metrics as
 * tracedock_otlp_requests_refused_total{protocol="grpc",reason="too_large"} and logged once
 * per minute however many follow; an OTLP/HTTP one gets 413 and its own series.
 */

const MAX_BODY_BYTES = 64 * 1024;
const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOG_TIMEOUT_MILLIS = 10_000;

let collector: CollectorProcess | undefined;
let client: Client | undefined;
let dataDir = '';

function running(): { collector: CollectorProcess; client: Client } {
  if (collector === undefined || client === undefined) throw new Error('the collector process did not start');
  return { collector, client };
}

function exportCall(path: string, body: Uint8Array): Promise<ServiceError | null> {
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve) => {
    running().client.makeUnaryRequest(path, identity, identity, Buffer.from(body), new Metadata(), {}, (error) => resolve(error));
  });
}

async function refusedCount(protocol: 'http' | 'grpc', reason: string): Promise<string | undefined> {
  const text = await (await fetch(`${running().collector.baseUrl}/metrics`)).text();
  const prefix = `tracedock_otlp_requests_refused_total{protocol="${protocol}",reason="${reason}"} `;
  return text.split('\n').find((line) => line.startsWith(prefix))?.slice(prefix.length);
}

/** The collector's log lines that contain `text`, once at least `count` of them are there. */
async function logLines(text: string, count = 1): Promise<string[]> {
  const matching = (): string[] => running().collector.logs().split('\n').filter((line) => line.includes(text));
  return waitFor(`${count} log line(s) with "${text}"`, () => (matching().length >= count ? matching() : undefined), {
    timeoutMillis: LOG_TIMEOUT_MILLIS,
    lastSeen: () => running().collector.logs().slice(-2_000),
  });
}

function oversizedTraceRequest(): Uint8Array {
  const body = encodeTraceRequestProto(makeTraceSpans({ spanCount: 2_000 }));
  if (body.length <= MAX_BODY_BYTES) throw new Error(`the test request is ${body.length} bytes, not over ${MAX_BODY_BYTES}`);
  return body;
}

describe('refused OTLP requests, counted and logged (collector CLI)', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-refusals-'));
    collector = await startCollectorProcess({ dataDir, env: { TRACEDOCK_MAX_BODY_BYTES: String(MAX_BODY_BYTES), TRACEDOCK_DOCKER: 'off' } });
    client = new Client(collector.otlpGrpcAddress, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    if (collector !== undefined) expect(await collector.stop()).toBe(0);
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('OTLP/gRPC: an oversized export gets RESOURCE_EXHAUSTED, is counted as too_large and logged once', async () => {
    expect(await refusedCount('grpc', 'too_large'), 'the series is shown before any refusal').toBe('0');

    const first = await exportCall(TRACE_EXPORT, oversizedTraceRequest());
    expect(first?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(first?.details).toContain(`larger than the limit of ${MAX_BODY_BYTES} bytes`);
    expect(await refusedCount('grpc', 'too_large')).toBe('1');
    const [line] = await logLines('OTLP/gRPC request refused: too_large');
    expect(JSON.parse(line ?? '{}')).toMatchObject({ protocol: 'grpc', reason: 'too_large', grpcStatus: status.RESOURCE_EXHAUSTED, signal: 'traces' });

    expect((await exportCall(TRACE_EXPORT, oversizedTraceRequest()))?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await refusedCount('grpc', 'too_large')).toBe('2');
    // Another kind is logged after the second oversized call: once it shows, so would have a second too_large line.
    const unknown = await exportCall('/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export', new Uint8Array(0));
    expect(unknown?.code).toBe(status.UNIMPLEMENTED);
    await logLines('OTLP/gRPC request refused: not_found');
    expect(await logLines('OTLP/gRPC request refused: too_large')).toHaveLength(1);
    expect(await refusedCount('grpc', 'not_found')).toBe('1');
  });

  it('OTLP/HTTP: an oversized export gets 413 and is counted as too_large under protocol="http"', async () => {
    const { collector } = running();
    expect(await refusedCount('http', 'too_large')).toBe('0');
    const response = await fetch(`${collector.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: oversizedTraceRequest(),
    });
    expect(response.status).toBe(413);
    expect(await refusedCount('http', 'too_large')).toBe('1');
    expect(await refusedCount('grpc', 'too_large')).toBe('2');
    await logLines('OTLP/HTTP request refused: too_large');
  });
});
