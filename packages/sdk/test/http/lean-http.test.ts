import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator, suppressTracing } from '@opentelemetry/core';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import http, { type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.ts';
import { createInstrumentations } from '../../src/instrumentations.ts';
import { LEAN_HTTP_INSTRUMENTATION_NAME, LeanHttpInstrumentation } from '../../src/http/instrumentation.ts';
import { PROCESS_METRICS_INSTRUMENTATION_NAME } from '../../src/metrics/process-metrics.ts';

/**
 * tracedock's lean HTTP instrumentation in process, with real node:http servers and clients on
 * loopback and the real OpenTelemetry SDK: the SERVER and CLIENT spans the official
 * instrumentation makes (names, kinds, stable semantic-convention attributes, error status),
 * W3C trace context in and out, the handler and the request's own event listeners running inside
 * the server span, Express routes, and no spans for suppressed (exporter) requests.
 */

const exporter = new InMemorySpanExporter();
/**
 * The kind of every span started, ended or not: a span is started synchronously where the
 * instrumentation makes it, so "no span was made" needs no waiting, unlike "no span ended yet".
 */
const startedKinds: SpanKind[] = [];
const recordStarts: SpanProcessor = {
  onStart: (span) => void startedKinds.push(span.kind),
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), recordStarts] });
const lean = new LeanHttpInstrumentation();
const contextManager = new AsyncLocalStorageContextManager();
const servers: Server[] = [];

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  lean.setTracerProvider(provider);
  lean.enable();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  exporter.reset();
  startedKinds.length = 0;
});

afterAll(async () => {
  lean.disable();
  await provider.shutdown();
  context.disable();
  propagation.disable();
});

async function listen(handler: RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** GET (or another method) with node:http; resolves with the status and body once read. */
function request(url: string, options: http.RequestOptions = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function spans(count: number): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5_000;
  while (exporter.getFinishedSpans().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} spans, got ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return exporter.getFinishedSpans();
}

const one = (list: ReadableSpan[], kind: SpanKind): ReadableSpan => {
  const found = list.filter((s) => s.kind === kind);
  if (found.length !== 1) throw new Error(`expected one span of kind ${kind}, got ${found.length}`);
  return found[0] as ReadableSpan;
};

describe('server spans', () => {
  it('continues the caller\'s trace and records the stable HTTP attributes', async () => {
    const url = await listen((_req, res) => res.end('ok'));
    const port = Number(new URL(url).port);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await context.with(suppressTracing(ROOT_CONTEXT), () =>
      request(`${url}/orders/7?sig=secret&page=2`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'user-agent': 'test-agent' } }),
    );
    const server = one(await spans(1), SpanKind.SERVER);
    expect(server.name).toBe('GET');
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/orders/7',
      'url.query': 'sig=REDACTED&page=2',
      'server.address': '127.0.0.1',
      'server.port': port,
      'client.address': '127.0.0.1',
      'network.peer.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'test-agent',
      'http.response.status_code': 200,
    });
    expect(typeof server.attributes['network.peer.port']).toBe('number');
  });

  it('marks 5xx as an error and 4xx not', async () => {
    const url = await listen((req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    });
    await context.with(suppressTracing(ROOT_CONTEXT), async () => {
      await request(`${url}/fail`);
      await request(`${url}/missing`);
    });
    const [failed, missing] = (await spans(2)).sort((a, b) => Number(b.attributes['http.response.status_code']) - Number(a.attributes['http.response.status_code']));
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes['error.type']).toBe('503');
    expect(missing?.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing?.attributes['error.type']).toBeUndefined();
  });

  it('runs the handler and the request body\'s listeners inside the server span', async () => {
    const seen: Record<string, string | undefined> = {};
    const url = await listen((req, res) => {
      seen.handler = trace.getActiveSpan()?.spanContext().spanId;
      req.on('data', () => (seen.data = trace.getActiveSpan()?.spanContext().spanId));
      req.on('end', () => {
        seen.end = trace.getActiveSpan()?.spanContext().spanId;
        // Later work started from the body's end (a DB call, a log line) stays in the span too.
        setTimeout(() => {
          seen.timer = trace.getActiveSpan()?.spanContext().spanId;
          res.end('done');
        }, 1);
      });
    });
    await context.with(suppressTracing(ROOT_CONTEXT), () => request(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' } }, '{"sku":"a"}'));
    const server = one(await spans(1), SpanKind.SERVER);
    const id = server.spanContext().spanId;
    expect(seen).toEqual({ handler: id, data: id, end: id, timer: id });
    expect(server.attributes['http.request.method']).toBe('POST');
  });
});

describe('client spans', () => {
  it('makes a CLIENT span under the active span and sends its traceparent', async () => {
    let received: string | undefined;
    const url = await listen((req, res) => {
      received = req.headers.traceparent as string | undefined;
      res.end('ok');
    });
    const port = Number(new URL(url).port);
    const parent = provider.getTracer('test').startSpan('parent');
    await context.with(trace.setSpan(ROOT_CONTEXT, parent), () => request(`${url}/items/1?sig=x`));
    parent.end();
    const all = await spans(3);
    const client = one(all, SpanKind.CLIENT);
    const server = one(all, SpanKind.SERVER);
    expect(client.name).toBe('GET');
    expect(client.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(received).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.full': `${url}/items/1?sig=REDACTED`,
      'http.response.status_code': 200,
      'network.peer.address': '127.0.0.1',
      'network.peer.port': port,
      'network.protocol.version': '1.1',
    });
    // The client span starts before the server span (its end and the server's race on loopback).
    expect(client.startTime[0] * 1e9 + client.startTime[1]).toBeLessThanOrEqual(server.startTime[0] * 1e9 + server.startTime[1]);
  });

  it('marks a 4xx answer and a failed connection as errors', async () => {
    const url = await listen((_req, res) => {
      res.statusCode = 409;
      res.end();
    });
    await request(`${url}/conflict`);
    const closed = await listen(() => undefined);
    const closedPort = new URL(closed).port;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await expect(request(`http://127.0.0.1:${closedPort}/`)).rejects.toThrow(/ECONNREFUSED/);
    const clients = (await spans(3)).filter((s) => s.kind === SpanKind.CLIENT);
    const conflict = clients.find((s) => s.attributes['http.response.status_code'] === 409);
    expect(conflict?.status.code).toBe(SpanStatusCode.ERROR);
    expect(conflict?.attributes['error.type']).toBe('409');
    const refused = clients.find((s) => s.attributes['http.response.status_code'] === undefined);
    expect(refused?.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(refused?.status.message).toContain('ECONNREFUSED');
    expect(refused?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('makes no span for a request sent while tracing is suppressed (the OTLP exporter\'s)', async () => {
    const url = await listen((_req, res) => res.end('ok'));
    await context.with(suppressTracing(ROOT_CONTEXT), () => request(url));
    const all = await spans(1);
    expect(all.map((s) => s.kind)).toEqual([SpanKind.SERVER]);
    // A CLIENT span would have been started when the request was created, before it was sent.
    expect(startedKinds).toEqual([SpanKind.SERVER]);
  });
});

describe('with Express', () => {
  it('names the server span by the matched route', async () => {
    const express = new ExpressInstrumentation({ ignoreLayersType: ['router', 'middleware', 'request_handler'] } as never);
    express.setTracerProvider(provider);
    express.enable();
    try {
      const app = (createRequire(import.meta.url)('express') as () => { get: (path: string, handler: RequestListener) => void } & RequestListener)();
      app.get('/users/:id', (_req, res) => res.end('user'));
      const url = await listen(app);
      await context.with(suppressTracing(ROOT_CONTEXT), () => request(`${url}/users/42`));
      const server = one(await spans(1), SpanKind.SERVER);
      expect(server.name).toBe('GET /users/:id');
      expect(server.attributes['http.route']).toBe('/users/:id');
      expect(server.attributes['url.path']).toBe('/users/42');
    } finally {
      express.disable();
    }
  });
});

describe('choosing the HTTP instrumentation', () => {
  it('uses the lean one by default and the official one when its options are set', () => {
    const names = (options: Parameters<typeof resolveConfig>[0]) =>
      createInstrumentations(resolveConfig({ enabledInstrumentations: ['http'], ...options }, {}))
        .map((i) => i.instrumentationName)
        .filter((name) => name !== PROCESS_METRICS_INSTRUMENTATION_NAME);
    expect(names({})).toEqual([LEAN_HTTP_INSTRUMENTATION_NAME]);
    expect(names({ instrumentationConfig: { '@opentelemetry/instrumentation-http': { enabled: true } } })).toEqual([LEAN_HTTP_INSTRUMENTATION_NAME]);
    const official = createInstrumentations(
      resolveConfig({ enabledInstrumentations: ['http'], exportMetrics: false, instrumentationConfig: { '@opentelemetry/instrumentation-http': { ignoreIncomingRequestHook: () => false } } }, {}),
    );
    expect(official.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-http']);
    for (const instrumentation of official) instrumentation.disable();
  });

  it('disable() puts node:http back as it was', () => {
    const emit = http.Server.prototype.emit;
    const extra = new LeanHttpInstrumentation();
    extra.enable();
    expect(http.Server.prototype.emit).not.toBe(emit);
    extra.disable();
    expect(http.Server.prototype.emit).toBe(emit);
  });
});
