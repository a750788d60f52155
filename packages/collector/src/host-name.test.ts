import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveHostName } from './host-name.js';

/*
 * The engine here runs on this machine, so its name is this machine's too (test/host-name.test.ts
 * checks the real engine). To tell the two apart, an engine stand-in on a unix socket answers
 * GET /info the way the Docker API does (only the field read).
 */

let server: Server | undefined;
let dir = '';

async function fakeEngine(answer: (path: string) => { status: number; body: unknown }): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'tracedock-engine-'));
  const socket = join(dir, 'docker.sock');
  server = createServer((req, res) => {
    const { status, body } = answer(req.url ?? '');
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(socket, resolve));
  return `unix://${socket}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const base = { hostName: '', dockerEnabled: true, dockerRequestTimeoutMillis: 2_000 };

describe('resolveHostName', () => {
  it("takes the Docker engine's Name from GET /info", async () => {
    const dockerHost = await fakeEngine((path) => (path.endsWith('/info') ? { status: 200, body: { Name: 'engine-host-7', ID: 'x' } } : { status: 404, body: {} }));
    expect(await resolveHostName({ ...base, dockerHost })).toBe('engine-host-7');
  });

  it("falls back to this machine's name when the engine fails or is unreachable, or Docker is off", async () => {
    const failing = await fakeEngine(() => ({ status: 500, body: { message: 'boom' } }));
    expect(await resolveHostName({ ...base, dockerHost: failing })).toBe(hostname());
    expect(await resolveHostName({ ...base, dockerHost: 'unix:///nonexistent/docker.sock' })).toBe(hostname());
    expect(await resolveHostName({ ...base, dockerEnabled: false, dockerHost: failing })).toBe(hostname());
  });

  it('prefers the setting', async () => {
    expect(await resolveHostName({ ...base, hostName: 'edge-1', dockerHost: 'unix:///nonexistent/docker.sock' })).toBe('edge-1');
  });
});
