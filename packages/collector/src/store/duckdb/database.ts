import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { applySchema } from './schema.js';

/** Thrown (or returned in a WriteResult) once shutdown has begun. */
export class StoreClosedError extends Error {
  constructor() {
    super('the DuckDB store is shut down');
    this.name = 'StoreClosedError';
  }
}

export const IN_MEMORY = ':memory:';

/**
 * One DuckDB database: a single writer connection that runs one task at a time (DuckDB
 * appends and deletes on one table conflict when they overlap, and the batcher wants its
 * writes in order), and a fresh connection per read so a slow query never holds up
 * another (opening one costs ~40 µs).
 *
 * @example
 *   const db = await Database.open('/data/tracedock.duckdb');
 *   await db.write((conn) => conn.run('DELETE FROM logs'));
 *   await db.close();
 */
const CHECKPOINT_THRESHOLD = '64MB';

export class Database {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly reads = new Set<Promise<unknown>>();
  private closed = false;

  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly writer: DuckDBConnection;

  private constructor(path: string, instance: DuckDBInstance, writer: DuckDBConnection) {
    this.path = path;
    this.instance = instance;
    this.writer = writer;
  }

  static async open(path: string): Promise<Database> {
    if (path !== IN_MEMORY) await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    let writer: DuckDBConnection | undefined;
    try {
      writer = await instance.connect();
      // DuckDB checkpoints inside the COMMIT of the one writer once the WAL passes the
      // threshold; at the 16 MB default that is every ~40k spans and costs 0.1-2.5 s each,
      // halving ingest (bench/README.md). 64 MB of WAL is what a crash may have to replay.
      await writer.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
      await applySchema(writer);
      return new Database(path, instance, writer);
    } catch (error) {
      writer?.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs the task on the writer connection after every earlier task has settled. */
  write<T>(task: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    const run = this.tail.then(() => task(this.writer));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs the task on its own short-lived connection. Tracked from the first tick, connect
   * included, so that close() cannot shut the instance between connect and query.
   */
  read<T>(task: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    const run = (async () => {
      const conn = await this.instance.connect();
      try {
        return await task(conn);
      } finally {
        conn.closeSync();
      }
    })();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.reads.add(settled);
    void settled.then(() => this.reads.delete(settled));
    return run;
  }

  /**
   * Lets accepted writes and running reads finish, checkpoints so the next start need not
   * replay the WAL, then closes. Idempotence is the caller's (DuckDbStore's) job.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.tail;
      await Promise.all(this.reads);
      if (this.path !== IN_MEMORY) await this.writer.run('CHECKPOINT');
    } finally {
      this.writer.closeSync();
      this.instance.closeSync();
    }
  }
}
