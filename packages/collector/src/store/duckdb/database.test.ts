import { afterEach, describe, expect, it } from 'vitest';
import { Database, IN_MEMORY, StoreClosedError } from './database.js';

const opened: Database[] = [];

async function open(): Promise<Database> {
  const db = await Database.open(IN_MEMORY, { writers: 2 });
  opened.push(db);
  return db;
}

/**
 * A task that records when it starts and ends, and ends when released; `started` resolves once
 * it runs, so a test waits for the state it asserts on instead of sleeping.
 */
function gate(log: string[], name: string) {
  let release!: () => void;
  let markStarted!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const task = async (): Promise<string> => {
    log.push(`start ${name}`);
    markStarted();
    await released;
    log.push(`end ${name}`);
    return name;
  };
  return { task, release, started };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

describe('Database writes', () => {
  it('runs appends on two connections at once', async () => {
    const db = await open();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const c = gate(log, 'c');
    const results = [db.append(a.task), db.append(b.task), db.append(c.task)];
    await Promise.all([a.started, b.started]);
    expect(log).toEqual(['start a', 'start b']); // c waits for a free connection
    a.release();
    await c.started;
    expect(log).toEqual(['start a', 'start b', 'end a', 'start c']);
    b.release();
    c.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
  });

  it('runs a write alone: after the appends before it, before the appends after it', async () => {
    const db = await open();
    const log: string[] = [];
    const a = gate(log, 'a');
    const w = gate(log, 'w');
    const b = gate(log, 'b');
    const results = [db.append(a.task), db.write(w.task), db.append(b.task)];
    await a.started;
    expect(log).toEqual(['start a']);
    a.release();
    // An append queued behind the write would show up before 'start w' if it overtook it.
    await w.started;
    expect(log).toEqual(['start a', 'end a', 'start w']);
    w.release();
    await b.started;
    expect(log.slice(-2)).toEqual(['end w', 'start b']);
    b.release();
    expect(await Promise.all(results)).toEqual(['a', 'w', 'b']);
  });

  it('appends from two connections land in one table, and a failed task frees its connection', async () => {
    const db = await open();
    await db.write((conn) => conn.run('CREATE TABLE t (v INTEGER)'));
    const insert = (v: number) =>
      db.append(async (conn) => {
        await conn.run('BEGIN TRANSACTION');
        await conn.run(`INSERT INTO t VALUES (${v})`);
        await conn.run('COMMIT');
      });
    await expect(db.append(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      db.write(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    await Promise.all([insert(1), insert(2), insert(3), insert(4)]);
    const count = await db.read(async (conn) => (await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM t')).getRowObjects()[0]?.n);
    expect(count).toBe(4);
  });

  it('close waits for queued writes, then refuses new ones', async () => {
    const db = await Database.open(IN_MEMORY);
    const log: string[] = [];
    const a = gate(log, 'a');
    const result = db.append(a.task);
    const closed = db.close();
    await a.started;
    expect(log).toEqual(['start a']);
    a.release();
    await closed;
    expect(await result).toBe('a');
    await expect(db.append(async () => 'late')).rejects.toBeInstanceOf(StoreClosedError);
  });
});
