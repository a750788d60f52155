import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database, IN_MEMORY } from './database.js';
import { DEFAULT_DATABASE_SETTINGS, memoryLimitBytes } from './database-settings.js';
import { DuckDbStore } from './DuckDbStore.js';
import { makeTempDir, type TempDir } from './testing/fixtures.js';

/** What DuckDB itself says it runs with: memory_limit as it prints it ('512.0 MiB'), threads. */
async function reported(db: Database): Promise<{ memoryLimit: string; threads: string }> {
  return db.read(async (conn) => {
    const reader = await conn.runAndReadAll("SELECT current_setting('memory_limit')::VARCHAR AS m, current_setting('threads')::VARCHAR AS t");
    const row = reader.getRowObjects()[0];
    return { memoryLimit: String(row?.m), threads: String(row?.t) };
  });
}

describe('memoryLimitBytes', () => {
  it('reads DuckDB memory_limit syntax, decimal and binary units in any case', () => {
    expect(memoryLimitBytes('512MB')).toBe(512e6);
    expect(memoryLimitBytes('512MiB')).toBe(512 * 1024 ** 2);
    expect(memoryLimitBytes(' 1.5 gb ')).toBe(1.5e9);
    expect(memoryLimitBytes('2TiB')).toBe(2 * 1024 ** 4);
  });

  it('refuses what DuckDB refuses: a bare number, a percentage, an unknown unit', () => {
    for (const text of ['512', '80%', '512 MBs', 'lots', '', '-1GB']) expect(memoryLimitBytes(text), text).toBeUndefined();
  });
});

describe('DuckDB memory and threads', () => {
  let dir: TempDir;
  const opened: Database[] = [];
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('opens a file-backed database with the defaults', async () => {
    const db = await Database.open(join(dir.path, 'defaults.duckdb'));
    opened.push(db);
    expect(DEFAULT_DATABASE_SETTINGS).toMatchObject({ memoryLimit: '160MiB', threads: 2 });
    expect(await reported(db)).toEqual({ memoryLimit: '160.0 MiB', threads: '2' });
  });

  it('opens a file-backed database with the memory limit and threads it is given', async () => {
    const db = await Database.open(join(dir.path, 'given.duckdb'), { memoryLimit: '512MiB', threads: 3 });
    opened.push(db);
    expect(await reported(db)).toEqual({ memoryLimit: '512.0 MiB', threads: '3' });
  });

  it('leaves an in-memory database at DuckDB’s own memory limit, which has no file to evict to', async () => {
    const db = await Database.open(IN_MEMORY, { memoryLimit: '64MiB', threads: 1 });
    opened.push(db);
    const { memoryLimit, threads } = await reported(db);
    expect(memoryLimit).not.toBe('64.0 MiB');
    expect(threads).toBe('1');
  });

  it('passes DuckDbStore’s memoryLimit and threads to the database it opens', async () => {
    const open = vi.spyOn(Database, 'open');
    const store = new DuckDbStore({ path: join(dir.path, 'store.duckdb'), edgeRollup: false, memoryLimit: '256MiB', threads: 1 });
    await store.start();
    try {
      const db = await open.mock.results[0]?.value;
      expect(db).toBeInstanceOf(Database);
      expect(await reported(db as Database)).toEqual({ memoryLimit: '256.0 MiB', threads: '1' });
    } finally {
      await store.shutdown();
    }
  });
});
