import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerApiStatsSource } from './docker-api.js';
import type { SampleTarget } from './StatsSource.js';

/** A stand-in Docker engine on a unix socket: only GET /containers/{id}/stats?stream=true. */
class FakeEngine {
  readonly streams = new Map<string, ServerResponse>();
  readonly opened: string[] = [];
  readonly closed: string[] = [];
  readonly #server: Server;
  readonly #dir = mkdtempSync(join(tmpdir(), 'tracedock-engine-'));
  readonly socketPath = join(this.#dir, 'docker.sock');

  constructor() {
    this.#server = createServer((req, res) => {
      const match = /\/containers\/([^/]+)\/stats\?/.exec(req.url ?? '');
      const id = match?.[1];
      if (id === undefined || id.startsWith('missing')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such container"}');
        return;
      }
      this.opened.push(id);
      this.streams.set(id, res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      res.on('close', () => {
        this.closed.push(id);
        if (this.streams.get(id) === res) this.streams.delete(id);
      });
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(this.socketPath, resolve));
  }

  send(id: string, text: string): void {
    this.streams.get(id)?.write(text);
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

const RECORDED = readFileSync(new URL('./fixtures/docker-api/v1-burner-stream.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const target = (id: string): SampleTarget => ({ id, pid: 1, hostNetwork: false });
/** Not JSON: reported as stats-json once the lines sent before it have been read. */
const READ_MARK = '{read mark';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let engine: FakeEngine;
let errors: string[];
let now: number;
let source: DockerApiStatsSource;

beforeEach(async () => {
  engine = new FakeEngine();
  await engine.listen();
  errors = [];
  now = 0;
  source = new DockerApiStatsSource({
    docker: new Dockerode({ socketPath: engine.socketPath }),
    onError: (kind) => errors.push(kind),
    nowMillis: () => now,
    reopenDelayMillis: 1_000,
    maxLineBytes: 16 * 1024,
  });
});

afterEach(async () => {
  await source.shutdown();
  await engine.stop();
});

describe('DockerApiStatsSource', () => {
  it('keeps one stream per target and returns each stream\'s newest message once', async () => {
    expect(await source.sample([target(A)], 0n)).toEqual([]);
    await until(() => engine.streams.has(A), 'the stream to open');
    const [first, second, third] = RECORDED;
    engine.send(A, `${first}\n${second?.slice(0, 100)}`);
    // A bad line after the messages: once it is reported, every line before it was read.
    engine.send(A, `${second?.slice(100)}\n${third}\n${READ_MARK}\n`);
    await until(() => errors.includes('stats-json'), 'the messages to be read');
    const rows = await source.sample([target(A)], 0n);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ containerId: A, timeNs: 1795638257952409888n });
    expect(rows[0]?.cpuPercent).toBeGreaterThan(19);
    expect(await source.sample([target(A)], 0n)).toEqual([]);
    expect(engine.opened).toEqual([A]);
    expect(source.openStreams).toBe(1);
  });

  it('closes the stream of a target that is gone, and all streams on shutdown', async () => {
    await source.sample([target(A), target(B)], 0n);
    await until(() => engine.streams.size === 2, 'two streams');
    await source.sample([target(B)], 0n);
    await until(() => engine.closed.includes(A), 'A to close');
    expect(source.openStreams).toBe(1);
    await source.shutdown();
    await until(() => engine.closed.includes(B), 'B to close');
    expect(source.openStreams).toBe(0);
    expect(await source.sample([target(A)], 0n)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reopens a stream that ended only after the reopen delay', async () => {
    await source.sample([target(A)], 0n);
    await until(() => engine.streams.has(A), 'the stream');
    engine.streams.get(A)?.end();
    await until(() => source.openStreams === 0, 'the end to be seen');
    now = 500;
    await source.sample([target(A)], 0n);
    expect(engine.opened).toHaveLength(1);
    now = 1_000;
    await source.sample([target(A)], 0n);
    await until(() => engine.opened.length === 2, 'the reopen');
  });

  it('reports a missing container, bad JSON and bad payloads, and carries on', async () => {
    await source.sample([target('missing')], 0n);
    await until(() => errors.includes('stats-open'), 'the 404');
    await source.sample([target(A)], 0n);
    await until(() => engine.streams.has(A), 'the stream');
    engine.send(A, `{not json\n{"read":"2026-01-01T00:00:00Z","cpu_stats":{"cpu_usage":{"total_usage":-1}}}\n${'x'.repeat(20_000)}\n`);
    engine.send(A, `${RECORDED[1]}\n${READ_MARK}\n`);
    await until(() => errors.length === 5, 'five errors');
    expect(errors).toEqual(['stats-open', 'stats-json', 'stats-invalid', 'stats-message-too-long', 'stats-json']);
    expect(await source.sample([target(A)], 0n)).toHaveLength(1);
  });
});
