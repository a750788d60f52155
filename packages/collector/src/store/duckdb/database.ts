import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DEFAULT_DATABASE_SETTINGS, type DatabaseSettings } from './database-settings.js';
import { applySchema } from './schema.js';

export type { DatabaseSettings } from './database-settings.js';

/** Thrown (or returned in a WriteResult) once shutdown has begun. */
export class StoreClosedError extends Error {
  constructor() {
    super('the DuckDB store is shut down');
    this.name = 'StoreClosedError';
  }
}

export const IN_MEMORY = ':memory:';

/**
 * DuckDB checkpoints inside a COMMIT once the WAL passes the threshold; at the 16 MB default
 * that is every ~40k spans and costs 0.1-2.5 s each, halving ingest (bench/README.md). 64 MB of
 * WAL is what a crash may have to replay.
 */
const CHECKPOINT_THRESHOLD = '64MB';
/**
 * DuckDB skips its automatic checkpoint when another transaction is open, which overlapping
 * appends make likely under load; past this much WAL, a CHECKPOINT runs alone between writes.
 */
const FORCE_CHECKPOINT_WAL_BYTES = 2 * 64 * 1024 * 1024;

/**
 * DuckDB allocates through its own jemalloc, which keeps freed memory for reuse up to
 * allocator_flush_threshold (128 MB by default) per flush; a lower threshold and background
 * purging hand it back to the OS sooner, so RSS follows what DuckDB really uses.
 */
const ALLOCATOR_FLUSH_THRESHOLD = '16MB';

type Task = (conn: DuckDBConnection) => Promise<unknown>;

interface Pending {
  exclusive: boolean;
  start(conn: DuckDBConnection): void;
}

/**
 * One DuckDB database: writer connections, and a fresh connection per read so a slow query
 * never holds up another (opening one costs ~40 µs). Writes come in two kinds:
 * - append(): a task that only inserts (one transaction of appender rows). Appends to one
 *   table from two transactions do not conflict in DuckDB, so up to `writers` run at once:
 *   JS fills the next batch while DuckDB commits the last on the libuv pool.
 * - write(): anything else (deletes, replaces, retention). It runs alone: after every earlier
 *   task has settled and before any later one starts, because a delete and an append on one
 *   table conflict when they overlap.
 * Tasks start in the order they were called.
 *
 * @example
 *   const db = await Database.open('/data/tracedock.duckdb');
 *   await db.append((conn) => appendSpans(conn, rows));
 *   await db.write((conn) => conn.run('DELETE FROM logs'));
 *   await db.close();
 */
export class Database {
  private readonly pending: Pending[] = [];
  private readonly idle: DuckDBConnection[];
  private running = 0;
  private runningExclusive = false;
  private drained: (() => void) | undefined;
  private checkpointQueued = false;
  private readonly reads = new Set<Promise<unknown>>();
  private closed = false;

  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly writers: readonly DuckDBConnection[];

  private constructor(path: string, instance: DuckDBInstance, writers: DuckDBConnection[]) {
    this.path = path;
    this.instance = instance;
    this.writers = writers;
    this.idle = [...writers];
  }

  static async open(path: string, settings: Partial<DatabaseSettings> = {}): Promise<Database> {
    // `??`, not a spread: a caller's `{ threads: undefined }` means the default too.
    const memoryLimit = settings.memoryLimit ?? DEFAULT_DATABASE_SETTINGS.memoryLimit;
    const threads = settings.threads ?? DEFAULT_DATABASE_SETTINGS.threads;
    const writerCount = settings.writers ?? DEFAULT_DATABASE_SETTINGS.writers;
    if (path !== IN_MEMORY) await mkdir(dirname(path), { recursive: true });
    const options: Record<string, string> = {
      threads: String(threads),
      allocator_flush_threshold: ALLOCATOR_FLUSH_THRESHOLD,
      allocator_background_threads: 'true',
    };
    // A file-backed database evicts to its file under the limit; an in-memory one has nowhere
    // to go, so it keeps DuckDB's default rather than fail its writes at the limit.
    if (path !== IN_MEMORY) options.memory_limit = memoryLimit;
    const instance = await DuckDBInstance.create(path, options);
    const writers: DuckDBConnection[] = [];
    try {
      for (let i = 0; i < Math.max(1, writerCount); i++) writers.push(await instance.connect());
      const first = writers[0] as DuckDBConnection;
      await first.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
      await applySchema(first);
      return new Database(path, instance, writers);
    } catch (error) {
      for (const writer of writers) writer.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs the task alone on a writer connection, after every earlier task has settled. */
  write<T>(task: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.enqueue(task, true);
  }

  /** Runs an insert-only task on an idle writer connection, beside other appends. */
  append<T>(task: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.enqueue(task, false);
    if (this.writers.length > 1) void run.finally(() => this.checkpointIfWalLarge()).catch(() => undefined);
    return run;
  }

  private checkpointIfWalLarge(): void {
    if (this.path === IN_MEMORY || this.checkpointQueued || this.closed) return;
    this.checkpointQueued = true;
    void stat(`${this.path}.wal`)
      .then((wal) => (wal.size > FORCE_CHECKPOINT_WAL_BYTES && !this.closed ? this.write((conn) => conn.run('CHECKPOINT')) : undefined))
      .catch(() => undefined) // no WAL file, or the checkpoint failed: the next append tries again
      .finally(() => {
        this.checkpointQueued = false;
      });
  }

  private enqueue<T>(task: (conn: DuckDBConnection) => Promise<T>, exclusive: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        exclusive,
        start: (conn) => {
          let run: Promise<unknown>;
          try {
            run = (task as Task)(conn);
          } catch (error) {
            run = Promise.reject(error); // a task that throws before its first await
          }
          void run.then((value) => resolve(value as T), reject).finally(() => this.finish(conn));
        },
      });
      this.dispatch();
    });
  }

  private finish(conn: DuckDBConnection): void {
    this.running -= 1;
    this.runningExclusive = false;
    this.idle.push(conn);
    this.dispatch();
  }

  /** Starts queued tasks in order while the head of the queue may run. */
  private dispatch(): void {
    while (!this.runningExclusive) {
      const next = this.pending[0];
      if (next === undefined) break;
      if (next.exclusive ? this.running > 0 : this.idle.length === 0) break;
      this.pending.shift();
      const conn = this.idle.pop() as DuckDBConnection;
      this.running += 1;
      this.runningExclusive = next.exclusive;
      next.start(conn);
    }
    if (this.running === 0 && this.pending.length === 0) this.drained?.();
  }

  /** Resolves once no write task is queued or running. */
  private whenWritesSettled(): Promise<void> {
    if (this.running === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = () => {
        this.drained = undefined;
        resolve();
      };
    });
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
      await this.whenWritesSettled();
      await Promise.all(this.reads);
      if (this.path !== IN_MEMORY) await (this.writers[0] as DuckDBConnection).run('CHECKPOINT');
    } finally {
      for (const writer of this.writers) writer.closeSync();
      this.instance.closeSync();
    }
  }
}
