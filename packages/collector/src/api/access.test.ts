import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb/DuckDbStore.js';
import { cookieValue } from './access.js';
import { startApi, type RunningApi } from './test-support.js';

const TOKEN = 'unit-test-api-token-0123456789';

describe('API access check', () => {
  let store: DuckDbStore;
  let locked: RunningApi;
  let open: RunningApi;

  beforeAll(async () => {
    store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    locked = await startApi(store, { apiToken: TOKEN });
    open = await startApi(store);
  });

  afterAll(async () => {
    await locked.close();
    await open.close();
    await store.shutdown();
  });

  it('lets a bearer token or the sign-in cookie in, and nothing else', async () => {
    const bearer = { headers: { Authorization: `Bearer ${TOKEN}` } };
    expect((await locked.get('/api/services', bearer)).status).toBe(200);
    expect((await locked.get('/api/services', { headers: { Cookie: `other=1; tracedock_token=${encodeURIComponent(TOKEN)}` } })).status).toBe(200);
    expect((await locked.get('/api/services', { headers: { Authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    expect((await locked.get('/api/services', { headers: { Cookie: 'tracedock_token=nope' } })).status).toBe(401);
    const refused = await locked.get('/api/services');
    expect(await refused.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer <token>') } });
  });

  it('keeps /login on this site: a next of another origin goes to /', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'services']) {
      const res = await locked.get(`/login?t=${TOKEN}&next=${encodeURIComponent(next)}`, { redirect: 'manual' });
      expect(res.status, next).toBe(303);
      expect(res.headers.get('location'), next).toBe('/');
    }
    const inside = await locked.get(`/login?t=${TOKEN}&next=${encodeURIComponent('/traces/abc?span=1')}`, { redirect: 'manual' });
    expect(inside.headers.get('location')).toBe('/traces/abc?span=1');
  });

  it('escapes what it echoes into the sign-in page', async () => {
    const res = await locked.get(`/login?next=${encodeURIComponent('/"><script>alert(1)</script>')}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('without a token: everything is open, and /login just goes on', async () => {
    expect((await open.get('/api/services')).status).toBe(200);
    const res = await open.get('/login?t=whatever&next=%2Fservices', { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/services');
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; tracedock_token=x%20y; b=2', 'tracedock_token')).toBe('x y');
    expect(cookieValue('tracedock_token_other=1', 'tracedock_token')).toBeUndefined();
    expect(cookieValue('tracedock_token=%E0%A4%A', 'tracedock_token')).toBeUndefined();
    expect(cookieValue(undefined, 'tracedock_token')).toBeUndefined();
  });
});
