import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForTrace } from './clients/query-api.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';

/**
 * A batch sent again — what every OTLP exporter does when it retries — must come back as one
 * copy of each span from every answer of the API. The official OpenTelemetry JS exporters send
 * the same finished spans three times, over OTLP/HTTP protobuf and over OTLP/gRPC, to the real
 * collector process.
 */

const SEND_TIMES = 3;
const collectors: CollectorProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(collectors.splice(0).map((c) => c.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tracedock-dedupe-'));
  dirs.push(dir);
  return dir;
}

/** A finished 3-span trace of `service`, as the SDK hands it to an exporter. */
async function finishedTrace(service: string): Promise<ReadableSpan[]> {
  const spans: ReadableSpan[] = [];
  const capture: SpanExporter = {
    export: (batch, done) => {
      spans.push(...batch);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => {},
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: capture })],
  });
  const tracer = provider.getTracer('tracedock.test.dedupe');
  // No context manager is registered here, so parents are passed explicitly.
  const root = tracer.startSpan('GET /checkout');
  const child = tracer.startSpan('reserve', {}, trace.setSpan(context.active(), root));
  tracer.startSpan('SELECT stock', {}, trace.setSpan(context.active(), child)).end();
  child.end();
  root.end();
  await provider.shutdown();
  if (spans.length !== 3) throw new Error(`expected 3 finished spans, got ${spans.length}`);
  return spans;
}

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result: ExportResult) => {
      if (result.code === ExportResultCode.SUCCESS) resolve();
      else reject(new Error(`export failed: ${String(result.error)}`));
    });
  });
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The counter's value once it reaches `expected` (counters move right after the store commit), or the last one seen. */
async function metricValue(collector: CollectorProcess, line: string, expected: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = await (await fetch(`${collector.baseUrl}/metrics`)).text();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    const value = found === undefined ? 0 : Number(found.slice(line.length).trim());
    if (value >= expected || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectOneCopy(collector: CollectorProcess, spans: ReadableSpan[], service: string): Promise<void> {
  const traceId = spans[0]!.spanContext().traceId;
  const ids = spans.map((s) => s.spanContext().spanId);
  const trace = await waitForTrace(collector.baseUrl, traceId, ids);
  expect(trace.spans.map((s) => s.spanId).sort()).toEqual([...ids].sort());
  // Search and service counts are computed from what was stored, not from the trace read.
  const range = `start=${Date.now() - 3_600_000}&end=${Date.now() + 60_000}`;
  const search = (await getJson(`${collector.baseUrl}/api/traces?service=${service}&${range}`)) as { traces: { traceId: string; spanCount: number }[] };
  expect(search.traces.find((t) => t.traceId === traceId)?.spanCount).toBe(3);
  const services = (await getJson(`${collector.baseUrl}/api/services?${range}`)) as { services: { name: string; spanCount: number }[] };
  expect(services.services.find((s) => s.name === service)?.spanCount).toBe(3);
}

describe('the same spans sent three times are stored once', () => {
  it.each(['http', 'grpc'] as const)('over OTLP/%s with the official exporter', async (protocol) => {
    const collector = await startCollectorProcess({ dataDir: await dataDir(), env: { TRACEDOCK_DOCKER: 'off' } });
    collectors.push(collector);
    const service = `dedupe-${protocol}`;
    const spans = await finishedTrace(service);
    const exporter =
      protocol === 'http'
        ? new ProtoTraceExporter({ url: `${collector.otlpHttpUrl}/v1/traces` })
        : new GrpcTraceExporter({ url: `http://${collector.otlpGrpcAddress}` });
    for (let i = 0; i < SEND_TIMES; i++) await exportOnce(exporter, spans);
    await exporter.shutdown();
    await expectOneCopy(collector, spans, service);
    expect(await metricValue(collector, 'tracedock_rows_deduplicated_total{signal="spans"}', 6)).toBe(6);
  });

  it('across a collector restart (the filter is seeded from the store)', async () => {
    const dir = await dataDir();
    const service = 'dedupe-restart';
    const spans = await finishedTrace(service);
    const first = await startCollectorProcess({ dataDir: dir, env: { TRACEDOCK_DOCKER: 'off' } });
    const firstExporter = new ProtoTraceExporter({ url: `${first.otlpHttpUrl}/v1/traces` });
    await exportOnce(firstExporter, spans);
    await firstExporter.shutdown();
    await waitForTrace(first.baseUrl, spans[0]!.spanContext().traceId, spans.map((s) => s.spanContext().spanId));
    expect(await first.stop()).toBe(0);
    const second = await startCollectorProcess({ dataDir: dir, env: { TRACEDOCK_DOCKER: 'off' } });
    collectors.push(second);
    const exporter = new ProtoTraceExporter({ url: `${second.otlpHttpUrl}/v1/traces` });
    await exportOnce(exporter, spans);
    await exporter.shutdown();
    await expectOneCopy(second, spans, service);
  });

  it('with the write-side filter off, the trace answer still lists each span once', async () => {
    const collector = await startCollectorProcess({
      dataDir: await dataDir(),
      env: { TRACEDOCK_DOCKER: 'off', TRACEDOCK_SPAN_DEDUPE_CAPACITY: '0' },
    });
    collectors.push(collector);
    const spans = await finishedTrace('dedupe-read');
    const exporter = new ProtoTraceExporter({ url: `${collector.otlpHttpUrl}/v1/traces` });
    for (let i = 0; i < SEND_TIMES; i++) await exportOnce(exporter, spans);
    await exporter.shutdown();
    const trace = await waitForTrace(collector.baseUrl, spans[0]!.spanContext().traceId, spans.map((s) => s.spanContext().spanId));
    expect(trace.spans).toHaveLength(3);
    expect(await metricValue(collector, 'tracedock_rows_stored_total{signal="spans"}', 9)).toBe(9);
  });
});
