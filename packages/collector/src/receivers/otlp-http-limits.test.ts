import { once } from 'node:events';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from '../../../../test/support/otlp-requests.js';
import { eventually, startTestCollector, type TestCollector } from '../../test/support/collector.js';
import { captureLogger, silentLogger } from '../../test/support/logger.js';
import { decodeStatusProto } from '../../test/support/status.js';
import { loadConfig, type CollectorOptions } from '../config.js';
import { Ingest } from '../pipeline/ingest.js';
import { WriteQueue } from '../pipeline/write-queue.js';
import type { Logger } from '../telemetry/logger.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { OtlpHttpReceiver } from './otlp-http.js';

const MIB = 1024 * 1024;
const PROTO = { 'Content-Type': 'application/x-protobuf' };

async function postSpans(c: { otlpHttpUrl: string }, spanCount: number, headers: Record<string, string> = {}) {
  const traceId = randomTraceId();
  const body = encodeTraceRequestProto(makeTraceSpans({ traceId, spanCount }));
  const response = await fetch(`${c.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { ...PROTO, ...headers }, body });
  return { traceId, status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function expectStillServes(c: TestCollector): Promise<void> {
  const { traceId, status } = await postSpans(c, 1);
  expect(status).toBe(200);
  await eventually(async () => ((await c.store.getTraceSpans(traceId)).length === 1 ? true : undefined), 'trace stored');
}

/** Opens a POST to /v1/traces whose body the test writes (or not) itself. */
function openUpload(c: TestCollector, headers: Record<string, string | number>): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const req = request(`${c.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { ...PROTO, ...headers } });
  req.on('error', () => undefined); // the server may close the connection on an unfinished upload
  const response = new Promise<IncomingMessage>((resolve) => req.once('response', resolve));
  return { req, response };
}

async function bodyOf(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Resolves when the upload may be written again, or the server answered, or it closed. */
function writable(req: ClientRequest, response: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done).off('close', done);
      resolve();
    };
    req.on('drain', done).on('close', done);
    void response.then(done);
  });
}

/** `inflatedBytes` of zeros gzipped, built by streaming so the test never holds them inflated. */
async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(MIB);
  for (let written = 0; written < inflatedBytes; written += zeros.length) {
    if (!gzip.write(zeros)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(chunks);
}

/** The HTTP receiver alone, over a write queue whose store takes everything. */
async function bareReceiver(
  options: CollectorOptions,
  logger: Logger = silentLogger,
): Promise<{ receiver: OtlpHttpReceiver; queue: WriteQueue; metrics: MetricsRegistry; port: number }> {
  const config = loadConfig({ host: '127.0.0.1', otlpHttpPort: 0, ...options }, {});
  const metrics = new MetricsRegistry();
  const taken = async (): Promise<{ ok: true; written: number }> => ({ ok: true, written: 0 });
  const queue = new WriteQueue({ store: { writeSpans: taken, writeLogs: taken, writeMetricPoints: taken }, config, metrics, logger: silentLogger });
  queue.start();
  const receiver = new OtlpHttpReceiver({ config, ingest: new Ingest(queue, metrics, silentLogger), metrics, logger });
  return { receiver, queue, metrics, port: await receiver.start() };
}

describe('OTLP/HTTP receiver: limits', () => {
  it('inflates a gzip body and stores its spans', async () => {
    const c = await startTestCollector();
    const traceId = randomTraceId();
    const body = gzipSync(encodeTraceRequestProto(makeTraceSpans({ traceId, spanCount: 3 })));
    const response = await fetch(`${c.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { ...PROTO, 'Content-Encoding': 'gzip' }, body });
    expect(response.status).toBe(200);
    await eventually(async () => ((await c.store.getTraceSpans(traceId)).length === 3 ? true : undefined), 'gzip trace stored');
  });

  it('answers 413 to a declared 50 MiB body before any of it is sent', async () => {
    const c = await startTestCollector();
    const { req, response } = openUpload(c, { 'Content-Length': 50 * MIB });
    req.flushHeaders();
    const answer = await response;
    expect(answer.statusCode).toBe(413);
    expect(decodeStatusProto(await bodyOf(answer)).message).toContain(`${8 * MIB} bytes`);
    req.destroy();
    await expectStillServes(c);
  });

  it('answers 413 to a streamed 50 MiB body once the limit passes, without buffering it', async () => {
    const c = await startTestCollector();
    const rssBefore = process.memoryUsage().rss;
    const { req, response } = openUpload(c, { 'Transfer-Encoding': 'chunked' });
    let answered = false;
    void response.then(() => (answered = true));
    let sentBytes = 0;
    const chunk = Buffer.alloc(MIB, 1);
    while (!answered && sentBytes < 50 * MIB && !req.destroyed) {
      sentBytes += chunk.length;
      if (!req.write(chunk)) await writable(req, response);
    }
    const answer = await Promise.race([
      response,
      new Promise<never>((_, reject) => {
        setTimeout(() => reject(new Error(`no response after ${sentBytes} bytes sent`)), 10_000).unref();
      }),
    ]);
    expect(answer.statusCode).toBe(413);
    expect(sentBytes).toBeLessThan(50 * MIB);
    req.destroy();
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MIB);
    await expectStillServes(c);
  });

  it('answers 413 to a gzip bomb (1 GiB of zeros) without inflating it', async () => {
    const bomb = await gzipBomb(1024 * MIB);
    expect(bomb.length).toBeLessThan(2 * MIB);
    const c = await startTestCollector();
    const rssBefore = process.memoryUsage().rss;
    const response = await fetch(`${c.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { ...PROTO, 'Content-Encoding': 'gzip' }, body: bomb });
    expect(response.status).toBe(413);
    expect(decodeStatusProto(new Uint8Array(await response.arrayBuffer())).message).toContain('decompressed body');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MIB);
    await expectStillServes(c);
  }, 120_000);

  it('answers 429 with Retry-After when the queue is full, never taking part of a request', async () => {
    // A real DuckDB store; the batch delay keeps the first rows queued while the test runs.
    const c = await startTestCollector({ queueMaxRows: 10, batchMaxRows: 10, batchMaxDelayMillis: 60_000, retryAfterSeconds: 3 });
    expect((await postSpans(c, 6)).status).toBe(200);
    const refused = await postSpans(c, 6);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(decodeStatusProto(refused.bytes)).toMatchObject({ code: 8, message: expect.stringContaining('full') });
    expect(c.collector.metrics.value('tracedock_queue_depth_rows')).toBe(6);
    expect(c.collector.metrics.value('tracedock_rows_refused_total', { signal: 'spans', reason: 'full' })).toBe(6);
    // 4 more fill the batch exactly, so it is written and the queue has room again.
    const filler = await postSpans(c, 4);
    expect(filler.status).toBe(200);
    await eventually(async () => ((await c.store.getTraceSpans(filler.traceId)).length === 4 ? true : undefined), 'the full batch written');
    expect((await postSpans(c, 6)).status).toBe(200);
  });

  it('answers 429 beyond maxConcurrentRequests bodies in flight, and counts it', async () => {
    const c = await startTestCollector({ maxConcurrentRequests: 2 });
    const slow = [openUpload(c, { 'Content-Length': 1000 }), openUpload(c, { 'Content-Length': 1000 })];
    for (const { req } of slow) req.write(Buffer.alloc(10));
    const refused = await eventually(async () => {
      const answer = await postSpans(c, 1);
      return answer.status === 429 ? answer : undefined;
    }, 'a 429 while two uploads hang');
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(c.collector.metrics.value('tracedock_otlp_requests_refused_total', { protocol: 'http', reason: 'too_many_requests' })).toBeGreaterThan(0);
    for (const { req } of slow) req.destroy(); // aborted uploads free their slots
    await eventually(async () => ((await postSpans(c, 1)).status === 200 ? true : undefined), 'a slot again');
    await expectStillServes(c);
  });

  it('survives an upload aborted half-way', async () => {
    // One slot, so that a 429 to another request shows the upload is being read when it is cut.
    const c = await startTestCollector({ maxConcurrentRequests: 1 });
    const { req } = openUpload(c, { 'Content-Length': MIB });
    req.write(Buffer.alloc(64 * 1024));
    await eventually(async () => ((await postSpans(c, 1)).status === 429 ? true : undefined), 'the half-sent upload holding the slot');
    req.destroy();
    await eventually(async () => ((await postSpans(c, 1)).status === 200 ? true : undefined), 'the aborted upload to free its slot');
    await expectStillServes(c);
  });

  it('logs a flood of bad requests once a minute per reason, each still answered and counted', async () => {
    const { logger, lines } = captureLogger();
    const { receiver, queue, metrics, port } = await bareReceiver({}, logger);
    try {
      const url = `http://127.0.0.1:${port}/v1/traces`;
      for (let i = 0; i < 30; i++) {
        const invalid = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceSpans": 7}' });
        expect(invalid.status).toBe(400);
        const wrongType = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
        expect(wrongType.status).toBe(415);
      }
      const logged = lines().map((l) => String(l.msg));
      expect(logged.filter((m) => m.startsWith('OTLP/HTTP request refused: invalid '))).toHaveLength(1);
      expect(logged.filter((m) => m.startsWith('OTLP/HTTP request refused: unsupported_media_type '))).toHaveLength(1);
      expect(logged).toHaveLength(2);
      const refused = (reason: string): number => metrics.value('tracedock_otlp_requests_refused_total', { protocol: 'http', reason });
      expect([refused('invalid'), refused('unsupported_media_type')]).toEqual([30, 30]);
    } finally {
      await receiver.shutdown(1_000);
      await queue.shutdown();
    }
  });

  it('answers 503 with Retry-After once it stops accepting', async () => {
    const { receiver, queue, port } = await bareReceiver({ retryAfterSeconds: 5 });
    try {
      receiver.stopAccepting();
      const answer = await postSpans({ otlpHttpUrl: `http://127.0.0.1:${port}` }, 1);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(decodeStatusProto(answer.bytes).code).toBe(14);
    } finally {
      await receiver.shutdown(1_000);
      await queue.shutdown();
    }
  });
});
