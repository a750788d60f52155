import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  ContainerEventRow,
  ContainerRow,
  ContainerSampleRow,
  LogRow,
  MetricPointRow,
  SpanRow,
} from '../../model/rows.js';
import type {
  ContainerRef,
  LogQuery,
  MetricPointsQuery,
  MetricQuery,
  MetricSummary,
  OperationKey,
  OperationStats,
  RetentionPolicy,
  RetentionResult,
  ServiceMap,
  ServiceSummary,
  Store,
  StoreStats,
  TimeRange,
  TraceQuery,
  TraceSummary,
  WriteResult,
} from '../Store.js';
import { containerRowsLimit } from '../Store.js';
import { appendEvents, appendLogs, appendMetricPoints, appendSamples, appendSpans, replaceContainers } from './append.js';
import { firstRow, readNumber } from './columns.js';
import { Database, StoreClosedError } from './database.js';
import type { DatabaseSettings } from './database-settings.js';
import { EdgeRollupJob } from './edge-rollup-job.js';
import type { EdgeRollupSettings, EdgeRollupStats } from './edge-rollup-job.js';
import { containerEvents, containerSamples, getContainers, listContainers } from './queries/containers.js';
import { samplesInRange } from './queries/host-samples.js';
import { searchLogs } from './queries/logs.js';
import { listMetrics, metricPoints } from './queries/metrics.js';
import { operationStats } from './queries/operations.js';
import { serviceMap } from './queries/service-map.js';
import { listServices } from './queries/services.js';
import { recentSpanKeys } from './queries/span-keys.js';
import { searchTraces } from './queries/trace-search.js';
import { getTraceSpans } from './queries/traces.js';
import { applyRetention } from './retention.js';
import { databaseSizeBytes } from './size.js';
import { writeFailed } from './writeResult.js';

export interface DuckDbStoreOptions {
  /** Database file (its folder is created), or ':memory:'. */
  path: string;
  /**
   * The background job that rolls up service-map edges per minute (edge-rollup-job.ts):
   * its settings (defaults: DEFAULT_EDGE_ROLLUP_SETTINGS), or false for none, in which case
   * serviceMap joins every span of the range live.
   */
  edgeRollup?: Partial<EdgeRollupSettings> | false;
  /**
   * DuckDB's memory_limit, in its syntax ('512MB', '2GiB'); for a file-backed store only, as an
   * in-memory one has nowhere to evict to. Default: DEFAULT_DATABASE_SETTINGS.memoryLimit.
   */
  memoryLimit?: string;
  /** DuckDB's worker threads. Default: DEFAULT_DATABASE_SETTINGS.threads. */
  threads?: number;
}

/**
 * The embedded default store: one DuckDB file, written by one serialized writer, read by
 * short-lived connections. Writes resolve once their batch is committed to the WAL, so a
 * restart on the same path finds them; they never throw.
 *
 * @example
 *   const store = new DuckDbStore({ path: '/data/tracedock.duckdb' });
 *   await store.start();
 *   const result = await store.writeSpans(rows); // { ok: true, written: rows.length }
 *   await store.shutdown();
 */
export class DuckDbStore implements Store {
  readonly kind = 'duckdb';
  private readonly path: string;
  private readonly rollupSettings: Partial<EdgeRollupSettings> | false;
  private readonly databaseSettings: Partial<DatabaseSettings>;
  private db: Database | undefined;
  private rollup: EdgeRollupJob | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: DuckDbStoreOptions) {
    if (options.path === '') throw new Error('DuckDbStore: path must not be empty');
    this.path = options.path;
    this.rollupSettings = options.edgeRollup ?? {};
    this.databaseSettings = { memoryLimit: options.memoryLimit, threads: options.threads };
  }

  start(): Promise<void> {
    if (this.stopping !== undefined) return Promise.reject(new StoreClosedError());
    this.starting ??= Database.open(this.path, this.databaseSettings).then(
      (db) => {
        this.db = db;
        if (this.rollupSettings !== false) {
          this.rollup = new EdgeRollupJob(db, this.rollupSettings);
          this.rollup.start();
        }
      },
      (error: unknown) => {
        throw new Error(`DuckDbStore: cannot open ${this.path}`, { cause: error });
      },
    );
    return this.starting;
  }

  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      // A start still in flight must finish first, or its database would never close.
      await this.starting?.catch(() => undefined);
      try {
        await this.rollup?.shutdown();
      } finally {
        await this.db?.close();
      }
    })();
    return this.stopping;
  }

  // Insert-only batches go through Database.append (they may overlap one another);
  // container replaces delete, so they run alone through Database.write.
  writeSpans(rows: readonly SpanRow[]): Promise<WriteResult> {
    return this.write(rows.length, 'append', (conn) => appendSpans(conn, rows));
  }

  writeLogs(rows: readonly LogRow[]): Promise<WriteResult> {
    return this.write(rows.length, 'append', (conn) => appendLogs(conn, rows));
  }

  writeSamples(rows: readonly ContainerSampleRow[]): Promise<WriteResult> {
    return this.write(rows.length, 'append', (conn) => appendSamples(conn, rows));
  }

  upsertContainers(rows: readonly ContainerRow[]): Promise<WriteResult> {
    return this.write(rows.length, 'exclusive', (conn) => replaceContainers(conn, rows));
  }

  writeContainerEvents(rows: readonly ContainerEventRow[]): Promise<WriteResult> {
    return this.write(rows.length, 'append', (conn) => appendEvents(conn, rows));
  }

  writeMetricPoints(rows: readonly MetricPointRow[]): Promise<WriteResult> {
    return this.write(rows.length, 'append', (conn) => appendMetricPoints(conn, rows));
  }

  getTraceSpans(traceId: string): Promise<SpanRow[]> {
    return this.read((conn) => getTraceSpans(conn, traceId));
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return this.read((conn) => searchTraces(conn, query));
  }

  listServices(range: TimeRange): Promise<ServiceSummary[]> {
    return this.read((conn) => listServices(conn, range));
  }

  serviceMap(range: TimeRange): Promise<ServiceMap> {
    return this.read((conn) => serviceMap(conn, range));
  }

  searchLogs(query: LogQuery): Promise<LogRow[]> {
    return this.read((conn) => searchLogs(conn, query));
  }

  listContainers(range: TimeRange): Promise<ContainerRow[]> {
    return this.read((conn) => listContainers(conn, range));
  }

  // One host's containers: a ref's host is not compared (it names this collector's host, or
  // an older name of it after a rename).
  getContainers(refs: readonly ContainerRef[]): Promise<ContainerRow[]> {
    return this.read((conn) => getContainers(conn, [...new Set(refs.map((ref) => ref.id))]));
  }

  containerSamples(container: ContainerRef, range: TimeRange, limit?: number): Promise<ContainerSampleRow[]> {
    return this.read((conn) => containerSamples(conn, container.id, range, containerRowsLimit(limit)));
  }

  containerEvents(container: ContainerRef, range: TimeRange, limit?: number): Promise<ContainerEventRow[]> {
    return this.read((conn) => containerEvents(conn, container.id, range, containerRowsLimit(limit)));
  }

  operationStats(keys: readonly OperationKey[], range: TimeRange): Promise<OperationStats[]> {
    return this.read((conn) => operationStats(conn, keys, range));
  }

  samplesInRange(range: TimeRange, limit: number): Promise<ContainerSampleRow[]> {
    return this.read((conn) => samplesInRange(conn, range, limit));
  }

  listMetrics(query: MetricQuery): Promise<MetricSummary[]> {
    return this.read((conn) => listMetrics(conn, query));
  }

  metricPoints(query: MetricPointsQuery): Promise<MetricPointRow[]> {
    return this.read((conn) => metricPoints(conn, query));
  }

  recentSpanKeys(sinceNs: bigint, limit: number): Promise<{ traceId: string; spanId: string }[]> {
    return this.read((conn) => recentSpanKeys(conn, sinceNs, limit));
  }

  /** Runs between write batches, on the writer, so deletes never race appends. */
  async applyRetention(policy: RetentionPolicy): Promise<RetentionResult> {
    const db = this.open();
    return db.write((conn) => applyRetention(conn, db.path, policy));
  }

  async stats(): Promise<StoreStats> {
    const db = this.open();
    return db.read(async (conn) => {
      const counts = await conn.runAndReadAll(
        'SELECT (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM logs) AS logs',
      );
      const row = firstRow(counts.getRowObjects(), 'stats');
      return {
        spans: readNumber(row, 'spans'),
        logs: readNumber(row, 'logs'),
        sizeBytes: await databaseSizeBytes(conn, db.path),
      };
    });
  }

  /** Minutes rolled up and failures of the edge roll-up job (zeros when it is off). */
  edgeRollupStats(): EdgeRollupStats {
    return { ...(this.rollup?.stats ?? { minutesRolled: 0, errors: 0 }) };
  }

  private open(): Database {
    if (this.stopping !== undefined || this.db?.isClosed === true) throw new StoreClosedError();
    if (this.db === undefined) throw new Error('DuckDbStore: call start() before using the store');
    return this.db;
  }

  private async read<T>(task: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.open().read(task);
  }

  private async write(
    count: number,
    kind: 'append' | 'exclusive',
    task: (conn: DuckDBConnection) => Promise<number>,
  ): Promise<WriteResult> {
    try {
      const db = this.open();
      if (count === 0) return { ok: true, written: 0 };
      return { ok: true, written: await (kind === 'append' ? db.append(task) : db.write(task)) };
    } catch (error) {
      return writeFailed(error);
    }
  }
}
