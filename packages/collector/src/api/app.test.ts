import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDbStore } from '../store/duckdb/DuckDbStore.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { startApi, TRACE_ID, type RunningApi } from './test-support.js';

let store: DuckDbStore;
let api: RunningApi;

beforeAll(async () => {
  store = new DuckDbStore({ path: ':memory:' });
  await store.start();
  api = await startApi(store);
});

afterAll(async () => {
  await api.close();
  await store.shutdown();
});

async function expectError(path: string, status: number, code: string, message?: string | RegExp): Promise<void> {
  const res = await api.get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body: unknown = await res.json();
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  if (message !== undefined) expect(body).toMatchObject({ error: { message } });
}

describe('validation errors → 400 bad_request naming the parameter', () => {
  it.each([
    ['/api/traces?start=yesterday', 'start: must be milliseconds since the epoch or an RFC 3339 time, got "yesterday"'],
    ['/api/services?start=2000&end=1000', /^start: must be before end/],
    ['/api/logs?start=1700000000000&end=2023-11-14T22:13:20Z', /^start: must be before end/],
    ['/api/traces?limit=0', 'limit: must be an integer from 1 to 1000, got "0"'],
    ['/api/logs?limit=5000', 'limit: must be an integer from 1 to 1000, got "5000"'],
    ['/api/traces/not-a-trace-id', 'traceId: must be 32 hex digits, got "not-a-trace-id"'],
    ['/api/logs?traceId=123', 'traceId: must be 32 hex digits, got "123"'],
    ['/api/traces?servcie=orders', /^unknown query parameter "servcie"; allowed: start, end, service, /],
    [`/api/traces/${TRACE_ID}?x=1`, 'unknown query parameter "x"; allowed: none'],
    ['/api/traces?limit=1&limit=2', 'limit: given more than once; give it once'],
    [`/api/traces?${Array.from({ length: 11 }, (_, i) => `attr.k${i}=v`).join('&')}`, 'attr: at most 10 attr.KEY filters, got 11'],
    ['/api/logs?severity=loud', /^severity: must be trace, debug, info, warn, error, fatal or a number from 1 to 24, got "loud"/],
    ['/api/logs?severity=0', /^severity: must be/],
    ['/api/traces?minDurationMs=10&maxDurationMs=1', 'minDurationMs: must not be greater than maxDurationMs'],
    ['/api/traces?status=failed', 'status: must be "error" or "ok", got "failed"'],
    ['/api/containers/nope/samples', 'id: must be 64 hex digits, got "nope"'],
    ['/api/health?verbose=1', 'unknown query parameter "verbose"; allowed: none'],
  ])('%s', async (path, message) => {
    await expectError(path, 400, 'bad_request', message);
  });

  it('logs 4xx at info without a stack', async () => {
    await api.get('/api/traces?limit=abc');
    const line = api.logLines.findLast((l) => l['code'] === 'bad_request' && l['path'] === '/api/traces');
    expect(line).toMatchObject({ level: 30, reason: 'limit: must be an integer from 1 to 1000, got "abc"' });
    expect(JSON.stringify(line)).not.toContain('stack');
  });
});

describe('404 not_found', () => {
  it('for an unknown trace', async () => {
    await expectError(`/api/traces/${'1'.repeat(32)}`, 404, 'not_found', `No spans of trace ${'1'.repeat(32)}.`);
    await expectError(`/api/traces/${'1'.repeat(32)}/suspects`, 404, 'not_found');
  });

  it('for unknown /api routes and methods, and any other path without a UI', async () => {
    await expectError('/api/nope', 404, 'not_found', 'No such endpoint: GET /api/nope');
    await expectError('/api', 404, 'not_found');
    const post = await api.get('/api/health', { method: 'POST' });
    expect(post.status).toBe(404);
    await expectError('/index.html', 404, 'not_found');
  });
});

describe('express errors', () => {
  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const json = { 'content-type': 'application/json' };
    const bad = await api.get('/api/traces', { method: 'POST', headers: json, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } });
    const big = await api.get('/api/traces', { method: 'POST', headers: json, body: JSON.stringify({ a: 'x'.repeat(100_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers a badly encoded path with 400', async () => {
    await expectError('/api/traces/%E0%A4%A', 400, 'bad_request');
  });

  it('hides internals of a failing store: 500 internal, stack only in the log', async () => {
    const spy = vi.spyOn(store, 'listServices').mockRejectedValueOnce(new Error('Binder Error: table secret_spans at /data/x.duckdb'));
    try {
      const res = await api.get('/api/services');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal error; the collector log has the details.' } });
      expect(text).not.toMatch(/secret_spans|duckdb|Binder|at /);
      const line = api.logLines.find((l) => l['code'] === 'internal');
      expect(line).toMatchObject({ level: 50, path: '/api/services' });
      expect(JSON.stringify(line)).toContain('secret_spans');
      expect(JSON.stringify(line)).toContain('stack');
    } finally {
      spy.mockRestore();
    }
  });

  it('does not announce express', async () => {
    const res = await api.get('/api/health');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('GET /metrics', () => {
  it('renders the registry in Prometheus text format', async () => {
    const metrics = new MetricsRegistry();
    metrics.counter('tracedock_spans_received_total', 'Spans received.', { protocol: 'http' });
    metrics.inc('tracedock_spans_received_total', 3, { protocol: 'http' });
    metrics.gauge('tracedock_queue_depth_rows', 'Rows waiting for the store.', () => 7);
    const own = await startApi(store, { metrics });
    try {
      const res = await own.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await res.text()).toBe(
        [
          '# HELP tracedock_spans_received_total Spans received.',
          '# TYPE tracedock_spans_received_total counter',
          'tracedock_spans_received_total{protocol="http"} 3',
          '# HELP tracedock_queue_depth_rows Rows waiting for the store.',
          '# TYPE tracedock_queue_depth_rows gauge',
          'tracedock_queue_depth_rows 7',
          '',
        ].join('\n'),
      );
    } finally {
      await own.close();
    }
  });
});

describe('static UI', () => {
  it('marks hashed assets immutable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracedock-ui-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>tracedock</title>');
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const withUi = await startApi(store, { staticDir: dir });
    try {
      const asset = await withUi.get('/assets/index-abc123.js');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
    } finally {
      await withUi.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves the built assets at / and the app shell for client-side routes, never over /api', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracedock-ui-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>tracedock</title>');
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    const withUi = await startApi(store, { staticDir: dir });
    try {
      const root = await withUi.get('/');
      expect(root.status).toBe(200);
      expect(await root.text()).toContain('<title>tracedock</title>');
      expect((await withUi.get('/app.js')).headers.get('content-type')).toMatch(/javascript/);
      const deep = await withUi.get('/traces/abc', { headers: { accept: 'text/html' } });
      expect(await deep.text()).toContain('<title>tracedock</title>');
      expect((await withUi.get('/missing.js')).status).toBe(404);
      expect((await withUi.get('/api/nope', { headers: { accept: 'text/html' } })).status).toBe(404);
      expect(root.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
      expect(root.headers.get('cache-control')).toBe('no-cache');
    } finally {
      await withUi.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
