import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanById, waitForLogs, waitForTrace } from './clients/query-api.js';
import { object } from './clients/shape.js';
import { startCollectorProcess } from './support/collector-process.js';
import { repoRoot } from './support/env.js';

/**
 * Hand-written OTLP/JSON requests shaped like opentelemetry-proto's examples/trace.json and
 * examples/logs.json (uppercase hex ids, int64 as strings and as numbers, an empty
 * parentSpanId, absent optional fields, children before their root), POSTed as they are; every
 * field must come back from the query API: ids lowercase hex, ns times as the exact decimal
 * strings sent, attributes decoded to JSON values, events, links, status, tracestate, scope,
 * and the spans in start order.
 *
 * The fixtures keep the spec's 2018 times; the test moves every `...UnixNano` value forward
 * by a whole number of seconds so that the data falls inside the API's default time window
 * and retention, while the sub-second digits (where precision is lost) stay as written.
 */

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'otlp-json');
const POST_TIMEOUT_MILLIS = 5_000;
/** The fixtures' first second (the spec examples' 1544712660). */
const FIXTURE_EPOCH_S = 1_544_712_660n;
/** How far before now the rebased fixture starts. */
const AGE_S = 10n;
const NS_PER_S = 1_000_000_000n;

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const ROOT_ID = 'eee19b7ec3c1b173';
const CLIENT_ID = 'eee19b7ec3c1b174';
const CONSUMER_ID = 'eee19b7ec3c1b175';

type Collector = Awaited<ReturnType<typeof startCollectorProcess>>;

const deltaNs = (BigInt(Math.floor(Date.now() / 1000)) - FIXTURE_EPOCH_S - AGE_S) * NS_PER_S;
/** A fixture time as the collector received it. */
const at = (fixtureNs: string): string => (BigInt(fixtureNs) + deltaNs).toString();

/**
 * Shifts each `...UnixNano` field in the JSON text, keeping its form (string or number):
 * done on the text because JSON.parse would round 19-digit numbers to a double.
 */
function rebase(jsonText: string): string {
  return jsonText.replace(
    /("\w*UnixNano"\s*:\s*)("?)(\d+)\2/g,
    (_match, key: string, quote: string, digits: string) => `${key}${quote}${at(digits)}${quote}`,
  );
}

async function post(collector: Collector, signal: 'traces' | 'logs', body: string): Promise<void> {
  const res = await fetch(`${collector.otlpHttpUrl}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(POST_TIMEOUT_MILLIS),
  });
  const text = await res.text();
  expect(res.status, `POST /v1/${signal}: ${text}`).toBe(200);
  expect(res.headers.get('content-type') ?? '', 'OTLP/HTTP answers in the request encoding').toMatch(/^application\/json/);
  // A full success has no partialSuccess, or one that rejected nothing.
  const partial = object(JSON.parse(text), `POST /v1/${signal} answer`).partialSuccess;
  if (partial !== undefined) {
    const rejected = object(partial, 'partialSuccess')[signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords'];
    expect([undefined, 0, '0'], `POST /v1/${signal} rejected some: ${text}`).toContain(rejected);
  }
}

describe('hand-written OTLP/JSON (spec example shapes) round-trip through the query API', () => {
  let collector: Collector | undefined;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-otlp-json-'));
    collector = await startCollectorProcess({ dataDir });
  });

  afterAll(async () => {
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  const started = (): Collector => {
    if (collector === undefined) throw new Error('the collector did not start');
    return collector;
  };

  it('trace.json: spans with events, a link and an error status, field by field', async () => {
    const c = started();
    await post(c, 'traces', rebase(await readFile(join(FIXTURES, 'trace.json'), 'utf8')));
    const trace = await waitForTrace(c.baseUrl, TRACE_ID, [ROOT_ID, CLIENT_ID, CONSUMER_ID]);
    expect(trace.traceId).toBe(TRACE_ID);
    expect(trace.spans).toHaveLength(3);
    // The request lists the backend's two spans before the root: the detail orders by start.
    expect(trace.spans.map((s) => s.spanId), 'spans by start, root first').toEqual([ROOT_ID, CLIENT_ID, CONSUMER_ID]);

    expect(spanById(trace, ROOT_ID)).toEqual({
      traceId: TRACE_ID,
      spanId: ROOT_ID,
      // "" is how some clients write "no parent".
      parentSpanId: null,
      service: 'fixture-frontend',
      name: "I'm a server span",
      kind: 'SERVER',
      startNs: at('1544712660000000007'),
      endNs: at('1544712661000000009'),
      durationMs: 1000.000002,
      status: { code: 'OK', message: '' },
      attributes: {
        'my.span.attr': 'some value',
        // int64 as a JSON string (proto3's canonical form) and as a number both decode to numbers.
        'http.response.status_code': 200,
        'retry.count': 3,
        'sample.ratio': 0.25,
        'cache.hit': false,
        'http.request.header.accept': ['application/json', 'text/plain'],
        'map.attribute': { 'some.map.key': 'some value', 'nested.count': 2 },
      },
      events: [],
      links: [],
      resource: { 'service.name': 'fixture-frontend', 'service.namespace': 'fixtures' },
      traceState: '',
      scope: { name: 'my.library', version: '1.0.0' },
      containerId: null,
    });

    expect(spanById(trace, CLIENT_ID)).toEqual({
      traceId: TRACE_ID,
      spanId: CLIENT_ID,
      parentSpanId: ROOT_ID,
      service: 'fixture-backend',
      name: "I'm a client span",
      kind: 'CLIENT',
      // Sent as JSON numbers, as in the spec example.
      startNs: at('1544712660100000000'),
      endNs: at('1544712660900000000'),
      durationMs: 800,
      status: { code: 'ERROR', message: 'upstream timed out' },
      attributes: { 'peer.service': 'inventory' },
      events: [
        { name: 'retry', timeNs: at('1544712660300000000'), attributes: { 'retry.attempt': 1 } },
        {
          name: 'exception',
          timeNs: at('1544712660600000123'),
          attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'upstream timed out after 300 ms' },
        },
      ],
      links: [
        {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceState: 'rojo=00f067aa0ba902b7',
          attributes: { 'link.reason': 'batched with' },
        },
      ],
      resource: { 'service.name': 'fixture-backend' },
      // The W3C example, two list members in the order sent.
      traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
      scope: { name: 'my.library', version: '1.0.0' },
      containerId: null,
    });

    // Only the required fields, in a scopeSpans entry without scope: absent fields take their defaults.
    expect(spanById(trace, CONSUMER_ID)).toEqual({
      traceId: TRACE_ID,
      spanId: CONSUMER_ID,
      parentSpanId: CLIENT_ID,
      service: 'fixture-backend',
      name: 'consume reply',
      kind: 'CONSUMER',
      startNs: at('1544712660200000000'),
      endNs: at('1544712660250000000'),
      durationMs: 50,
      status: { code: 'UNSET', message: '' },
      attributes: {},
      events: [],
      links: [],
      resource: { 'service.name': 'fixture-backend' },
      traceState: '',
      scope: { name: '', version: '' },
      containerId: null,
    });
  });

  it('logs.json: a record with a trace id is found by it; one without keeps its observed time', async () => {
    const c = started();
    await post(c, 'logs', rebase(await readFile(join(FIXTURES, 'logs.json'), 'utf8')));

    const withTrace = await waitForLogs(c.baseUrl, { traceId: TRACE_ID }, 1);
    expect(withTrace).toEqual([
      {
        timeNs: at('1544712660300000000'),
        traceId: TRACE_ID,
        spanId: CLIENT_ID,
        // The spec example has severityText only: the number stays UNSPECIFIED.
        severityNumber: 0,
        severityText: 'Information',
        body: 'Example log record',
        attributes: {
          'string.attribute': 'some string',
          'boolean.attribute': true,
          'int.attribute': 10,
          'double.attribute': 637.704,
          'array.attribute': ['many', 'values'],
          'map.attribute': { 'some.map.key': 'some value' },
        },
        resource: { 'service.name': 'fixture-backend' },
        service: 'fixture-backend',
        scope: { name: 'my.library' },
      },
    ]);

    const withoutTrace = await waitForLogs(c.baseUrl, { service: 'fixture-backend', q: 'without a trace' }, 1);
    expect(withoutTrace).toEqual([
      {
        // No timeUnixNano: the record's time is its observed time.
        timeNs: at('1544712660400000000'),
        traceId: null,
        spanId: null,
        severityNumber: 17,
        severityText: 'ERROR',
        body: 'fixture: a log record without a trace',
        attributes: { 'fixture.record': 2 },
        resource: { 'service.name': 'fixture-backend' },
        service: 'fixture-backend',
        scope: { name: 'my.library' },
      },
    ]);
  });

  it('the trace view lists the log record of the trace beside its spans', async () => {
    const c = started();
    // Runs after the two tests above, which stored the trace and the logs.
    const trace = await waitForTrace(c.baseUrl, TRACE_ID, [ROOT_ID]);
    expect(trace.logs.map((l) => ({ spanId: l.spanId, body: l.body }))).toEqual([{ spanId: CLIENT_ID, body: 'Example log record' }]);
  });

  it('int64 nanoseconds sent as JSON numbers keep every digit', async () => {
    // proto3 JSON lets int64 be a number; 19 digits do not fit a double (2^53), so a decoder
    // that goes through JSON.parse numbers shifts this time by up to 128 ns.
    const c = started();
    const traceId = '00000000000000000000000000c0ffee';
    const startNs = at('1544712660000000123');
    const endNs = at('1544712660000000999');
    const span = `{"traceId":"${traceId}","spanId":"00000000000000aa","name":"numeric times","kind":1,`
      + `"startTimeUnixNano":${startNs},"endTimeUnixNano":${endNs}}`;
    const resource = '{"attributes":[{"key":"service.name","value":{"stringValue":"fixture-numbers"}}]}';
    const body = `{"resourceSpans":[{"resource":${resource},"scopeSpans":[{"spans":[${span}]}]}]}`;
    await post(c, 'traces', body);
    const trace = await waitForTrace(c.baseUrl, traceId, ['00000000000000aa']);
    expect(spanById(trace, '00000000000000aa')).toMatchObject({ startNs, endNs });
  });
});
