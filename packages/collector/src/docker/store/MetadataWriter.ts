import type { ContainerRow } from '../../model/rows.js';
import type { WriteResult } from '../../store/Store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import type { ContainerRegistry } from '../discovery/ContainerRegistry.js';
import { containerRow } from '../discovery/container-row.js';
import { StoreBatcher } from './StoreBatcher.js';

export interface MetadataWriterOptions {
  registry: ContainerRegistry;
  /** The registry's bound, which bounds the rows waiting here too. */
  maxContainers: number;
  upsert: (rows: readonly ContainerRow[]) => Promise<WriteResult>;
  /** Changes are written at most this often (a restart loop must not write on every event). */
  flushIntervalMillis: number;
  /**
   * Live containers are written again this often: the store's retention ages a container
   * by its last update, and a long-running container must outlive the retention window.
   */
  refreshIntervalMillis: number;
  nowNs: () => bigint;
  /** The Docker host the containers run on, stamped on each row. */
  host: string;
  metrics: MetricsRegistry;
  logger: Logger;
}

/**
 * Container metadata to the store: marks changed ids, writes them in one upsert per flush,
 * and re-stamps every live container each refresh. The set of ids is bounded by the registry.
 * @example writer.changed(id); // written within flushIntervalMillis
 */
export class MetadataWriter {
  readonly #options: MetadataWriterOptions;
  readonly #dirty = new Set<string>();
  readonly #batcher: StoreBatcher<ContainerRow>;
  #refreshTimer: NodeJS.Timeout | undefined;
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(options: MetadataWriterOptions) {
    this.#options = options;
    const { metrics, logger } = options;
    this.#batcher = new StoreBatcher<ContainerRow>({
      table: 'containers',
      maxRows: options.maxContainers,
      flushIntervalMillis: options.flushIntervalMillis,
      write: (rows) => options.upsert(rows),
      metrics,
      logger,
    });
  }

  changed(id: string): void {
    this.#dirty.add(id);
  }

  start(): void {
    const { flushIntervalMillis, refreshIntervalMillis } = this.#options;
    this.#flushTimer ??= setInterval(() => void this.flush(), flushIntervalMillis);
    this.#flushTimer.unref();
    this.#refreshTimer ??= setInterval(() => {
      for (const entry of this.#options.registry.alive()) this.#dirty.add(entry.meta.id);
    }, refreshIntervalMillis);
    this.#refreshTimer.unref();
  }

  async flush(): Promise<void> {
    const { registry, nowNs } = this.#options;
    const now = nowNs();
    const rows: ContainerRow[] = [];
    for (const id of this.#dirty) {
      const entry = registry.get(id);
      if (entry !== undefined) rows.push(containerRow(entry, now, this.#options.host));
    }
    this.#dirty.clear();
    if (rows.length === 0) return;
    this.#batcher.add(rows);
    await this.#batcher.flush();
  }

  /** Writes what changed, then stops. Safe to call twice. */
  async shutdown(): Promise<void> {
    clearInterval(this.#flushTimer);
    clearInterval(this.#refreshTimer);
    await this.flush();
    await this.#batcher.shutdown();
  }
}
