import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeReport } from './clients/reports.js';
import { killRunningClients, lastJsonLine, runClient } from './clients/run-client.js';
import { chromiumAvailable, openBrowser, requireUiBuild } from './support/browser.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { repoRoot } from './support/env.js';

/**
 * Access tokens on by default beyond loopback. The collector CLI binds 0.0.0.0 (all traffic
 * here still goes to 127.0.0.1), makes its API and ingest tokens, prints them, and from then
 * on: the official OpenTelemetry JS SDK in its own process exports over OTLP/HTTP and gRPC
 * only with OTEL_EXPORTER_OTLP_HEADERS carrying the ingest token; the query API, /metrics
 * and the UI answer 401 without the API token, and real Chromium signs in through the
 * printed link. A restart on the same data folder keeps both tokens.
 */

const CLIENT = join(repoRoot, 'test', 'clients', 'node', 'send-trace.mjs');
const CLIENT_TIMEOUT_MILLIS = 60_000;
const ARRIVAL_TIMEOUT_MILLIS = 15_000;

let collector: CollectorProcess;
let dataDir = '';
let apiToken = '';
let otlpHeaders = '';

/** The tokens the CLI printed at start. */
function printedTokens(logs: string): { api: string; headers: string } {
  const api = /Sign in: http:\/\/localhost:\d+\/login\?t=(\S+)/.exec(logs)?.[1];
  const headers = /OTEL_EXPORTER_OTLP_HEADERS=(Authorization=\S+)/.exec(logs)?.[1];
  if (api === undefined || headers === undefined) throw new Error(`no tokens printed at start:\n${logs}`);
  return { api, headers };
}

async function start(): Promise<CollectorProcess> {
  return startCollectorProcess({ dataDir, env: { TRACEDOCK_HOST: '0.0.0.0', TRACEDOCK_DOCKER: 'off' } });
}

function sendTrace(kind: 'proto' | 'grpc', env: Record<string, string>): ReturnType<typeof runClient> {
  const endpoint = kind === 'grpc' ? `http://127.0.0.1:${collector.ports.otlpGrpc}` : collector.otlpHttpUrl;
  return runClient({ label: `send-trace ${kind}`, command: process.execPath, args: [CLIENT, kind, endpoint], timeoutMillis: CLIENT_TIMEOUT_MILLIS, cwd: repoRoot, env });
}

const withToken = (token: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });

async function waitForSpans(traceId: string, count: number): Promise<number> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MILLIS;
  for (;;) {
    const res = await fetch(`${collector.baseUrl}/api/traces/${traceId}`, withToken(apiToken));
    if (res.status === 200) {
      const body = (await res.json()) as { spans: unknown[] };
      if (body.spans.length >= count || Date.now() > deadline) return body.spans.length;
    } else if (res.status !== 404 || Date.now() > deadline) {
      throw new Error(`GET /api/traces/${traceId} answered ${res.status}: ${await res.text()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function refusedUnauthorized(): Promise<Record<string, number>> {
  const text = await (await fetch(`${collector.baseUrl}/metrics`, withToken(apiToken))).text();
  const out: Record<string, number> = {};
  for (const protocol of ['http', 'grpc']) {
    const line = text.split('\n').find((l) => l.startsWith('tracedock_otlp_requests_refused_total') && l.includes(`protocol="${protocol}"`) && l.includes('reason="unauthorized"'));
    out[protocol] = Number(line?.split(' ').at(-1) ?? Number.NaN);
  }
  return out;
}

describe('access tokens, on by default beyond loopback (collector CLI on 0.0.0.0)', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-tokens-'));
    collector = await start();
    ({ api: apiToken, headers: otlpHeaders } = printedTokens(collector.logs()));
  });

  afterAll(async () => {
    killRunningClients();
    if (collector !== undefined) await collector.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['proto', 'grpc'] as const)('%s: the official SDK exports only with the ingest token in OTEL_EXPORTER_OTLP_HEADERS', async (kind) => {
    const before = await refusedUnauthorized();
    // Without the header every export fails (401 / UNAUTHENTICATED), so the client exits 1.
    await expect(sendTrace(kind, {})).rejects.toThrow(/exited with 1/);
    await expect(sendTrace(kind, { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20not-the-token-of-this-one' })).rejects.toThrow(/exited with 1/);
    const protocol = kind === 'grpc' ? 'grpc' : 'http';
    const after = await refusedUnauthorized();
    expect(after[protocol], 'refusals counted in /metrics').toBeGreaterThanOrEqual((before[protocol] ?? 0) + 2);

    const { stdout } = await sendTrace(kind, { OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders });
    const sent = parseNodeReport(lastJsonLine(`send-trace ${kind}`, stdout));
    expect(await waitForSpans(sent.traceId, 3)).toBe(3);
  });

  it('OTLP/HTTP answers 401 with a message naming the header, before reading the body', async () => {
    const res = await fetch(`${collector.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceSpans":[]}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { code: number; message: string };
    expect(body.code).toBe(16);
    expect(body.message).toContain('Authorization: Bearer <token>');
    expect(body.message).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    // The API token is not the ingest token.
    const wrong = await fetch(`${collector.otlpHttpUrl}/v1/traces`, withToken(apiToken, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(wrong.status).toBe(401);
  });

  it('the query API and /metrics answer 401 without the API token; /api/health stays open', async () => {
    const none = await fetch(`${collector.baseUrl}/api/services`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('/login') });
    expect((await fetch(`${collector.baseUrl}/api/services`, withToken('x'.repeat(32)))).status).toBe(401);
    expect((await fetch(`${collector.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${collector.baseUrl}/api/services`, withToken(apiToken))).status).toBe(200);
    expect((await fetch(`${collector.baseUrl}/metrics`, withToken(apiToken))).status).toBe(200);
    expect((await fetch(`${collector.baseUrl}/api/health`)).status).toBe(200);
    // The UI itself: a sign-in page, not the app.
    const page = await fetch(`${collector.baseUrl}/traces/abc`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('<form method="get" action="/login">');
    expect(html).not.toContain('type="module"');
  });

  it('/login?t= sets an HttpOnly cookie the browser then sends; a wrong token is refused', async () => {
    const wrong = await fetch(`${collector.baseUrl}/login?t=${'y'.repeat(32)}`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const ok = await fetch(`${collector.baseUrl}/login?t=${encodeURIComponent(apiToken)}&next=${encodeURIComponent('//elsewhere.example/')}`, { redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location'), 'never to another origin').toBe('/');
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^tracedock_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const withCookie = await fetch(`${collector.baseUrl}/api/services`, { headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(withCookie.status).toBe(200);
  });

  it.skipIf(!chromiumAvailable())('Chromium: the printed sign-in link opens the UI, which then loads its data', async () => {
    requireUiBuild();
    const session = await openBrowser();
    try {
      await session.step('tokens-sign-in', async (page) => {
        const refused = await page.goto(`${collector.baseUrl}/search`);
        expect(refused?.status()).toBe(401);
        await expect.poll(() => page.locator('body').innerText()).toContain('API token');
        // What a user does with the link the collector printed (localhost there, 127.0.0.1 here).
        await page.goto(`${collector.baseUrl}/login?t=${encodeURIComponent(apiToken)}&next=%2Fsearch`);
        expect(new URL(page.url()).pathname).toBe('/search');
        const services = await page.evaluate(async () => (await fetch('/api/services')).status);
        expect(services).toBe(200);
        // The cookie gone while the app runs: its next API call sends the user to sign in again.
        await session.context.clearCookies();
        await page.getByRole('link', { name: 'Services', exact: true }).click();
        await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
        expect(new URL(page.url()).searchParams.get('next')).toBe('/services');
        await expect.poll(() => page.locator('body').innerText()).toContain('API token');
      });
      expect(session.problems.filter((p) => !p.includes('status of 401'))).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('a restart on the same data folder keeps both tokens, in a file only its owner reads', async () => {
    expect(await collector.stop()).toBe(0);
    const mode = (await stat(join(dataDir, 'access-tokens.json'))).mode & 0o777;
    expect(mode.toString(8)).toBe('600');
    collector = await start();
    expect(printedTokens(collector.logs())).toEqual({ api: apiToken, headers: otlpHeaders });
    expect((await fetch(`${collector.baseUrl}/api/services`, withToken(apiToken))).status).toBe(200);
  });
});
