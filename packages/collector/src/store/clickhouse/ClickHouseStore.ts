import type { ContainerEventRow, ContainerRow, ContainerSampleRow, LogRow, MetricPointRow, SpanRow } from '../../model/rows.js';
import type { RetentionPolicy, RetentionResult, Store, StoreStats, WriteResult } from '../Store.js';
import { ClickHouseReader } from './ClickHouseReader.js';
import { ClickHouseWriter } from './ClickHouseWriter.js';
import { applyRetention, storeStats } from './queries/maintenance.js';

export interface ClickHouseStoreOptions {
  /** The server's HTTP interface, e.g. http://clickhouse:8123 (user and password may be in it). */
  url: string;
  database: string;
  /** This collector's Docker host (host-name.ts): stamped on every row it writes. */
  hostName: string;
  retentionHours: number;
  requestTimeoutMillis?: number;
}

/**
 * The store for many Docker hosts: each host's collector writes its rows, stamped with its
 * host name, to one ClickHouse database, and any of them answers the API over all hosts.
 * The reader's queries plus a writer with a client of its own (so a slow search never
 * holds up an insert) behind the one Store interface; `--store clickhouse://…` selects it.
 * @example
 * const store = new ClickHouseStore({ url: 'http://127.0.0.1:8123', database: 'tracedock', hostName: 'host-a', retentionHours: 24 });
 * await store.start(); // creates the schema when it is not there
 */
export class ClickHouseStore extends ClickHouseReader implements Store {
  readonly #writer: ClickHouseWriter;
  readonly #hostName: string;
  #stopping: Promise<void> | undefined;

  constructor(options: ClickHouseStoreOptions) {
    super(options);
    this.#writer = new ClickHouseWriter(options);
    this.#hostName = options.hostName;
  }

  override async start(): Promise<void> {
    await super.start();
    await this.#writer.start();
  }

  override shutdown(): Promise<void> {
    this.#stopping ??= Promise.all([this.#writer.shutdown(), super.shutdown()]).then(() => undefined);
    return this.#stopping;
  }

  writeSpans(rows: readonly SpanRow[]): Promise<WriteResult> {
    return this.#writer.writeSpans(rows);
  }

  writeLogs(rows: readonly LogRow[]): Promise<WriteResult> {
    return this.#writer.writeLogs(rows);
  }

  writeSamples(rows: readonly ContainerSampleRow[]): Promise<WriteResult> {
    return this.#writer.writeSamples(rows);
  }

  upsertContainers(rows: readonly ContainerRow[]): Promise<WriteResult> {
    return this.#writer.upsertContainers(rows);
  }

  writeContainerEvents(rows: readonly ContainerEventRow[]): Promise<WriteResult> {
    return this.#writer.writeContainerEvents(rows);
  }

  writeMetricPoints(rows: readonly MetricPointRow[]): Promise<WriteResult> {
    return this.#writer.writeMetricPoints(rows);
  }

  /** Retention is the tables' TTL (schema.ts); see queries/maintenance.ts for what is left to do here. */
  applyRetention(policy: RetentionPolicy): Promise<RetentionResult> {
    return applyRetention(this.context, policy, this.#hostName);
  }

  stats(): Promise<StoreStats> {
    return storeStats(this.context);
  }
}
