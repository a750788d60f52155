import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from './DuckDbStore.js';
import { StoreClosedError } from './database.js';
import { isRetryableWriteError } from './writeResult.js';
import {
  ALL_TIME, T0_NS, makeLog, makeSpan, makeTempDir, spanIdOf, traceIdOf,
} from './testing/fixtures.js';
import type { TempDir } from './testing/fixtures.js';

const CRASH_CHILD = fileURLToPath(new URL('./testing/crashChild.mjs', import.meta.url));

function runUntilKilled(path: string, count: number): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CRASH_CHILD, path, String(count)], (_error, stdout, stderr) => {
      resolve(stdout + stderr);
    });
  });
}

describe('DuckDbStore lifecycle', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('keeps data across a restart on the same file', async () => {
    const path = join(dir.path, 'restart.duckdb');
    const first = new DuckDbStore({ path });
    await first.start();
    expect(await first.writeSpans([makeSpan()])).toEqual({ ok: true, written: 1 });
    expect(await first.writeLogs([makeLog()])).toEqual({ ok: true, written: 1 });
    await first.shutdown();

    const second = new DuckDbStore({ path });
    await second.start();
    expect(await second.getTraceSpans(traceIdOf(1))).toEqual([makeSpan()]);
    expect(await second.stats()).toMatchObject({ spans: 1, logs: 1 });
    await second.shutdown();
  });

  it('keeps a resolved write when the process is killed before shutdown (WAL)', async () => {
    const path = join(dir.path, 'crash.duckdb');
    const output = await runUntilKilled(path, 5000);
    expect(output, 'the child should report its write before it is killed').toContain('{"ok":true}');

    const store = new DuckDbStore({ path });
    await store.start();
    expect(await store.stats()).toMatchObject({ spans: 5000 });
    const spans = await store.getTraceSpans(traceIdOf(1));
    expect(spans.at(-1)).toEqual(makeSpan({ spanId: spanIdOf(5000), startNs: T0_NS + 4999n }));
    await store.shutdown();
  });

  it('shuts down twice, concurrently or not, without error', async () => {
    const store = new DuckDbStore({ path: join(dir.path, 'twice.duckdb') });
    await store.start();
    const pending = store.writeSpans([makeSpan()]);
    await Promise.all([store.shutdown(), store.shutdown()]);
    await store.shutdown();
    // A write accepted before shutdown began is flushed, not dropped.
    expect(await pending).toEqual({ ok: true, written: 1 });
  });

  it('lets a read in flight finish before closing', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    await store.writeSpans([makeSpan()]);
    const reading = store.searchTraces({ ...ALL_TIME, limit: 5 });
    await store.shutdown();
    expect(await reading).toHaveLength(1);
  });

  it('answers writes after shutdown with a non-retryable failure, and rejects reads', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    await store.shutdown();
    const result = await store.writeSpans([makeSpan()]);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(!result.ok && result.error).toBeInstanceOf(StoreClosedError);
    await expect(store.getTraceSpans(traceIdOf(1))).rejects.toThrow(StoreClosedError);
    await expect(store.start()).rejects.toThrow(StoreClosedError);
  });

  it('answers writes before start with a non-retryable failure', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    expect(await store.writeLogs([makeLog()])).toMatchObject({ ok: false, retryable: false });
    await store.shutdown();
  });

  it('fails a batch with a value that does not fit as a whole, without throwing', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    const bad = makeLog({ body: 'bad', severityNumber: 300 });
    const result = await store.writeLogs([makeLog({ body: 'good' }), bad]);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(await store.searchLogs({ ...ALL_TIME, limit: 10 })).toEqual([]);
    // The writer is usable afterwards.
    expect(await store.writeLogs([makeLog()])).toEqual({ ok: true, written: 1 });
    await store.shutdown();
  });

  it('serializes concurrent writes', async () => {
    const store = new DuckDbStore({ path: ':memory:' });
    await store.start();
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.writeSpans([makeSpan({ traceId: traceIdOf(i + 1) }), makeSpan({ traceId: traceIdOf(i + 1), spanId: spanIdOf(2) })]),
    );
    expect((await Promise.all(writes)).every((r) => r.ok)).toBe(true);
    expect(await store.stats()).toMatchObject({ spans: 40 });
    await store.shutdown();
  });

  it('refuses a file written with another schema version', async () => {
    const path = join(dir.path, 'future.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE tracedock_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`);
    await conn.run(`INSERT INTO tracedock_meta VALUES ('schema_version', '999')`);
    conn.closeSync();
    instance.closeSync();

    const store = new DuckDbStore({ path });
    const failure = await store.start().then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({
      message: expect.stringMatching(/cannot open/),
      cause: expect.objectContaining({ message: expect.stringMatching(/schema version 999/) }),
    });
    await store.shutdown();
  });
});

describe('isRetryableWriteError', () => {
  it.each([
    ['IO Error: Could not write file "x.wal": No space left on device', true],
    ['Out of Memory Error: could not allocate block of size 256 KiB', true],
    ['TransactionContext Error: Catalog write-write conflict on create', true],
    ['FATAL Error: Failed: database has been invalidated because of a previous fatal error.', false],
    ['Conversion Error: Type INT64 with value 300 can\'t be cast', false],
    ['Invalid Input Error: bad value', false],
  ])('%s -> %s', (message, retryable) => {
    expect(isRetryableWriteError(new Error(message))).toBe(retryable);
  });

  it('never retries after shutdown', () => {
    expect(isRetryableWriteError(new StoreClosedError())).toBe(false);
  });
});
