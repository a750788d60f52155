import { describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans, randomSpanId, randomTraceId } from '../../../../test/support/otlp-requests.js';
import { eventually, startTestCollector, type TestCollector } from '../../test/support/collector.js';
import { decodeStatusJson, decodeStatusProto } from '../../test/support/status.js';

interface Answer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

async function post(url: string, body: Uint8Array | string, headers: Record<string, string>, method = 'POST'): Promise<Answer> {
  const response = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** After any bad request the collector must still take a good one and store it. */
async function expectStillServes(c: TestCollector): Promise<void> {
  const traceId = randomTraceId();
  const answer = await post(`${c.otlpHttpUrl}/v1/traces`, encodeTraceRequestProto(makeTraceSpans({ traceId, spanCount: 2 })), PROTO);
  expect(answer.status).toBe(200);
  await eventually(async () => ((await c.store.getTraceSpans(traceId)).length === 2 ? true : undefined), `trace ${traceId} stored`);
}

function jsonSpan(traceId: string, name: string): Record<string, unknown> {
  const startNs = BigInt(Date.now()) * 1_000_000n;
  return { traceId, spanId: randomSpanId(), name, kind: 2, startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 1_000_000n) };
}

function jsonTraceRequest(spans: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-svc' } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans }],
    }],
  });
}

/** A fixed "random" body: deterministic, and not a valid protobuf message. */
function noise(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let state = 0x2545f491;
  for (let i = 0; i < bytes; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

describe('OTLP/HTTP receiver: bad input', () => {
  it('answers an empty protobuf body 200 with nothing stored (an empty message is valid)', async () => {
    const c = await startTestCollector();
    const answer = await post(`${c.otlpHttpUrl}/v1/traces`, new Uint8Array(0), PROTO);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-protobuf');
    expect(c.collector.metrics.value('tracedock_spans_received_total', { protocol: 'http' })).toBe(0);
    await expectStillServes(c);
  });

  it('answers an empty JSON body 400 with a Status naming the problem', async () => {
    const c = await startTestCollector();
    const answer = await post(`${c.otlpHttpUrl}/v1/traces`, '', JSON_TYPE);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/json');
    const status = decodeStatusJson(answer.bytes);
    expect(status.code).toBe(3);
    expect(status.message).not.toBe('');
    await expectStillServes(c);
  });

  it('answers truncated protobuf 400 with a protobuf Status', async () => {
    const c = await startTestCollector();
    const whole = encodeTraceRequestProto(makeTraceSpans({ spanCount: 5 }));
    const answer = await post(`${c.otlpHttpUrl}/v1/traces`, whole.subarray(0, whole.length - 7), PROTO);
    expect(answer.status).toBe(400);
    const status = decodeStatusProto(answer.bytes);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/protobuf|ExportTraceServiceRequest/i);
    await expectStillServes(c);
  });

  it('answers random bytes 400, on every signal', async () => {
    const c = await startTestCollector();
    for (const path of ['/v1/traces', '/v1/logs', '/v1/metrics']) {
      const answer = await post(`${c.otlpHttpUrl}${path}`, noise(4096), PROTO);
      expect(answer.status, path).toBe(400);
      expect(decodeStatusProto(answer.bytes).message, path).not.toBe('');
    }
    await expectStillServes(c);
  });

  it('answers JSON of the wrong shape 400', async () => {
    const c = await startTestCollector();
    for (const body of ['{"resourceSpans":"nope"}', '[1,2,3]', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":5}]}]}]}', '{not json']) {
      const answer = await post(`${c.otlpHttpUrl}/v1/traces`, body, JSON_TYPE);
      expect(answer.status, body).toBe(400);
      expect(decodeStatusJson(answer.bytes).message, body).not.toBe('');
    }
    await expectStillServes(c);
  });

  it('rejects spans whose trace id has the wrong length as a partial success, storing the rest', async () => {
    const c = await startTestCollector();
    const goodTraceId = randomTraceId();
    const body = jsonTraceRequest([jsonSpan(goodTraceId, 'good'), jsonSpan('abcd', 'short id'), jsonSpan(`${goodTraceId}00`, 'long id')]);
    const answer = await post(`${c.otlpHttpUrl}/v1/traces`, body, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(answer.status).toBe(200);
    const parsed: unknown = JSON.parse(new TextDecoder().decode(answer.bytes));
    expect(parsed).toMatchObject({ partialSuccess: { rejectedSpans: '2', errorMessage: expect.stringMatching(/trace/i) } });
    await eventually(async () => ((await c.store.getTraceSpans(goodTraceId)).length === 1 ? true : undefined), 'the good span');
    expect(c.collector.metrics.value('tracedock_rows_rejected_total', { signal: 'spans' })).toBe(2);
    await expectStillServes(c);
  });

  it('answers an unknown or missing content type 415', async () => {
    const c = await startTestCollector();
    const noType: Record<string, string> = {};
    for (const headers of [{ 'Content-Type': 'text/plain' }, noType]) {
      const answer = await post(`${c.otlpHttpUrl}/v1/traces`, 'hello', headers);
      expect(answer.status).toBe(415);
      expect(decodeStatusJson(answer.bytes).message).toContain('Content-Type');
    }
    const br = await post(`${c.otlpHttpUrl}/v1/traces`, 'x', { ...PROTO, 'Content-Encoding': 'br' });
    expect(br.status).toBe(415);
    expect(decodeStatusProto(br.bytes).message).toContain('Content-Encoding');
    await expectStillServes(c);
  });

  it('answers a corrupt gzip body 400', async () => {
    const c = await startTestCollector();
    const answer = await post(`${c.otlpHttpUrl}/v1/traces`, 'not gzip', { ...PROTO, 'Content-Encoding': 'gzip' });
    expect(answer.status).toBe(400);
    expect(decodeStatusProto(answer.bytes).message).toContain('gzip');
    await expectStillServes(c);
  });

  it('answers GET 405 (with Allow) and unknown paths 404', async () => {
    const c = await startTestCollector();
    const get = await post(`${c.otlpHttpUrl}/v1/traces`, '', {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(decodeStatusJson(get.bytes).message).toContain('GET');
    const unknown = await post(`${c.otlpHttpUrl}/v1/spans`, 'x', PROTO);
    expect(unknown.status).toBe(404);
    expect(decodeStatusJson(unknown.bytes).message).toContain('/v1/spans');
    await expectStillServes(c);
  });

  it('answers CORS preflights and marks responses readable from any origin', async () => {
    const c = await startTestCollector();
    const preflight = await fetch(`${c.otlpHttpUrl}/v1/traces`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const answer = await post(`${c.otlpHttpUrl}/v1/traces`, new Uint8Array(0), PROTO);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stores OTLP/JSON metric data points and reports a nameless metric as partial success', async () => {
    const c = await startTestCollector();
    const timeNs = BigInt(Date.now()) * 1_000_000n;
    const points = [{ asInt: '3', timeUnixNano: String(timeNs) }, { asInt: '4', timeUnixNano: String(timeNs + 1n) }];
    const body = JSON.stringify({
      resourceMetrics: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'metric-svc' } }] },
        scopeMetrics: [{ metrics: [{ name: 'requests', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points } }, { sum: { dataPoints: points } }] }],
      }],
    });
    const answer = await post(`${c.otlpHttpUrl}/v1/metrics`, body, JSON_TYPE);
    expect(answer.status).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(answer.bytes))).toEqual({
      partialSuccess: { rejectedDataPoints: '2', errorMessage: '2 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[1]: the metric has no name' },
    });
    const stored = await eventually(async () => {
      const rows = await c.store.metricPoints({ name: 'requests', service: 'metric-svc', startNs: timeNs - 60_000_000_000n, endNs: timeNs + 60_000_000_000n, limit: 10 });
      return rows.length === 2 ? rows : undefined;
    }, 'the metric points stored');
    expect(stored.map((row) => [row.value, row.temporality, row.monotonic])).toEqual([[3, 'cumulative', true], [4, 'cumulative', true]]);
    expect(c.collector.metrics.value('tracedock_metric_points_received_total', { protocol: 'http' })).toBe(2);
  });

  it('stores OTLP/JSON log records', async () => {
    const c = await startTestCollector();
    const traceId = randomTraceId();
    const body = JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'log-svc' } }] },
        scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), severityNumber: 9, body: { stringValue: 'hello' }, traceId }] }],
      }],
    });
    const answer = await post(`${c.otlpHttpUrl}/v1/logs`, body, JSON_TYPE);
    expect(answer.status).toBe(200);
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    await eventually(async () => {
      const logs = await c.store.searchLogs({ traceId, startNs: nowNs - 60_000_000_000n, endNs: nowNs + 60_000_000_000n, limit: 10 });
      return logs.length === 1 ? logs : undefined;
    }, 'the log record stored');
    expect(c.collector.metrics.value('tracedock_log_records_received_total', { protocol: 'http' })).toBe(1);
  });
});
