/**
 * Every request the OTLP/HTTP receiver refuses is answered with its status, counted in
 * tracedock_otlp_requests_refused_total{protocol="http",reason} and logged once per reason.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans } from '../../../../test/support/otlp-requests.js';
import { eventually } from '../../test/support/collector.js';
import { silentLogger } from '../../test/support/logger.js';
import type { CollectorOptions } from '../config.js';
import { REQUEST_REFUSAL_REASONS, type RequestRefusalReason } from '../pipeline/pipeline-metrics.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { OtlpHttpReceiver } from './otlp-http.js';
import { MAX_BODY_BYTES, QUEUE_MAX_ROWS, REFUSED, ThrowingIngest, TOKEN, realIngest, refusalRig, refusedCounts, type MakeIngest } from './testing/refusal-rig.js';

const AUTH = { Authorization: `Bearer ${TOKEN}` };
const PROTO = { ...AUTH, 'Content-Type': 'application/x-protobuf' };

interface Harness {
  receiver: OtlpHttpReceiver;
  metrics: MetricsRegistry;
  lines: () => Record<string, unknown>[];
  url: (path: string) => string;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** The receiver behind an ingest token, over a queue that keeps what it takes (a long batch delay). */
async function harness(options: CollectorOptions = {}, makeIngest: MakeIngest = realIngest): Promise<Harness> {
  const rig = refusalRig({ otlpHttpPort: 0, retryAfterSeconds: 1, ...options }, makeIngest);
  const { config, metrics, logger, lines, queue, guard, ingest } = rig;
  const receiver = new OtlpHttpReceiver({ config, ingest, metrics, logger, guard });
  const port = await receiver.start();
  stops.push(async () => {
    await receiver.shutdown(1_000);
    await queue.shutdown();
  });
  return { receiver, metrics, lines, url: (path) => `http://127.0.0.1:${port}${path}` };
}

/** Sends the request twice: both answered `status`, both counted under `reason` and nothing else. */
async function expectRefusedTwice(h: Harness, reason: RequestRefusalReason, status: number, send: () => Promise<Response>): Promise<void> {
  const before = refusedCounts(h.metrics, 'http');
  for (let i = 0; i < 2; i++) {
    const response = await send();
    await response.arrayBuffer();
    expect(response.status, reason).toBe(status);
  }
  expect(refusedCounts(h.metrics, 'http'), reason).toEqual({ ...before, [reason]: before[reason] + 2 });
}

function spans(count: number): Uint8Array {
  return encodeTraceRequestProto(makeTraceSpans({ spanCount: count }));
}

describe('OTLP/HTTP receiver: refusals', () => {
  it('counts each refusal by reason and logs each reason once', async () => {
    const h = await harness();
    const post = (headers: Record<string, string>, body: Uint8Array | string, path = '/v1/traces'): Promise<Response> =>
      fetch(h.url(path), { method: 'POST', headers, body });

    await expectRefusedTwice(h, 'not_found', 404, () => post(PROTO, spans(1), '/v1/profiles'));
    await expectRefusedTwice(h, 'method_not_allowed', 405, () => fetch(h.url('/v1/traces'), { headers: AUTH }));
    await expectRefusedTwice(h, 'unauthorized', 401, () => post({ 'Content-Type': 'application/x-protobuf' }, spans(1)));
    await expectRefusedTwice(h, 'unsupported_media_type', 415, () => post({ ...AUTH, 'Content-Type': 'text/plain' }, 'spans'));
    await expectRefusedTwice(h, 'unsupported_content_encoding', 415, () => post({ ...PROTO, 'Content-Encoding': 'br' }, spans(1)));
    await expectRefusedTwice(h, 'too_large', 413, () => post(PROTO, Buffer.alloc(MAX_BODY_BYTES + 1)));
    // More spans than the whole queue holds: too large whatever the queue's state.
    await expectRefusedTwice(h, 'too_large', 413, () => post(PROTO, spans(QUEUE_MAX_ROWS + 1)));
    await expectRefusedTwice(h, 'bad_compression', 400, () => post({ ...PROTO, 'Content-Encoding': 'gzip' }, 'not gzip at all'));
    await expectRefusedTwice(h, 'invalid', 400, () => post({ ...AUTH, 'Content-Type': 'application/json' }, '{"resourceSpans": 7}'));
    expect((await post(PROTO, spans(6))).status).toBe(200); // stays queued: the batch waits a minute
    await expectRefusedTwice(h, 'queue_full', 429, () => post(PROTO, spans(6)));

    // One upload that never finishes holds the only slot; an empty export ({}) probes until it does.
    const upload = request(h.url('/v1/traces'), { method: 'POST', headers: { ...PROTO, 'Content-Length': 1000 } });
    upload.on('error', () => undefined);
    upload.write(Buffer.alloc(10));
    const empty = (): Promise<Response> => post({ ...AUTH, 'Content-Type': 'application/json' }, '{}');
    const before = refusedCounts(h.metrics, 'http');
    await eventually(async () => ((await empty()).status === 429 ? true : undefined), 'a 429 while the upload holds the slot');
    expect((await empty()).status).toBe(429);
    expect(refusedCounts(h.metrics, 'http')).toEqual({ ...before, too_many_requests: 2 });
    upload.destroy();

    h.receiver.stopAccepting();
    await expectRefusedTwice(h, 'shutting_down', 503, () => post(PROTO, spans(1)));

    // (An upload cut off is no refusal: it is logged at debug only.)
    const messages = h.lines().filter((line) => Number(line.level) > 20).map((line) => String(line.msg));
    for (const reason of REQUEST_REFUSAL_REASONS.filter((r) => r !== 'unauthorized' && r !== 'internal_error')) {
      expect(messages.filter((m) => m.startsWith(`OTLP/HTTP request refused: ${reason} `)), reason).toHaveLength(1);
    }
    // The ingest guard's own notice, not a second one from the receiver.
    expect(messages.filter((m) => m.startsWith('OTLP request without a valid ingest token refused'))).toHaveLength(1);
    expect(messages).toHaveLength(REQUEST_REFUSAL_REASONS.length - 1);
    expect(h.lines().find((line) => line.reason === 'too_large')).toMatchObject({ level: 30, protocol: 'http', status: 413, client: '127.0.0.1' });
    expect(h.lines().find((line) => line.reason === 'queue_full')).toMatchObject({ level: 40, status: 429, signal: 'traces' });
  });

  it('answers a handler failure 500 without internals, counted and logged at error', async () => {
    const h = await harness({}, (queue, metrics) => new ThrowingIngest(queue, metrics, silentLogger));
    await expectRefusedTwice(h, 'internal_error', 500, () => fetch(h.url('/v1/traces'), { method: 'POST', headers: PROTO, body: spans(1) }));
    const logged = h.lines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, reason: 'internal_error', err: expect.objectContaining({ message: 'a bug' }) });
  });
});
