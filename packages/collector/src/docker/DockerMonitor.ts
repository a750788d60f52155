import type { CollectorConfig } from '../config.js';
import type { ContainerEventRow, ContainerSampleRow, LogRow } from '../model/rows.js';
import type { OfferResult } from '../pipeline/write-queue.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { DockerConnection } from './connection/DockerConnection.js';
import { startContainerStats } from './container-stats.js';
import { ContainerRegistry } from './discovery/ContainerRegistry.js';
import { Discovery } from './discovery/Discovery.js';
import { declareDockerMetrics, DOCKER_METRICS } from './docker-metrics.js';
import { ContainerLogs } from './logs/ContainerLogs.js';
import { seedRegistry } from './discovery/seed.js';
import { MetadataWriter } from './store/MetadataWriter.js';
import { StoreBatcher } from './store/StoreBatcher.js';

export type DockerMonitorConfig = Pick<
  CollectorConfig,
  | 'dockerHost' | 'dockerReconnectMinMillis' | 'dockerReconnectMaxMillis' | 'dockerRequestTimeoutMillis'
  | 'dockerMaxContainers' | 'containerLogsEnabled' | 'containerLogMaxLineBytes' | 'containerLogLinesPerSecond'
  | 'containerLogBurstLines' | 'containerLogMaxStreams' | 'statsIntervalMillis' | 'statsSource' | 'cgroupRoot'
  | 'procRoot' | 'retentionHours' | 'queueMaxRows'
>;

export interface DockerMonitorOptions {
  config: DockerMonitorConfig;
  store: Pick<Store, 'upsertContainers' | 'writeContainerEvents' | 'writeSamples' | 'listContainers'>;
  /** The write queue's offer (container log lines). */
  offer: (batch: { signal: 'logs'; rows: LogRow[] }) => OfferResult;
  metrics: MetricsRegistry;
  logger: Logger;
  /** The Docker host this collector runs for (host-name.ts), stamped on every container. */
  hostName: string;
}

const NS_PER_MS = 1_000_000n;
const MS_PER_HOUR = 3_600_000;
const EVENTS_FLUSH_MILLIS = 500;
const EVENTS_MAX_ROWS = 10_000;
const METADATA_FLUSH_MILLIS = 1_000;
/** Live containers are re-stamped in the store at least this often (and at half the retention window). */
const METADATA_REFRESH_MAX_MILLIS = 10 * 60_000;
/** Samples buffered at most: a few ticks of a big host, while the store is slow. */
const SAMPLES_MAX_ROWS = 50_000;
const EVICTION_INTERVAL_MILLIS = 60_000;

function wallClockNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS;
}

/**
 * The Docker part of the collector: one connection to the daemon (reconnecting with backoff,
 * never throwing), discovery of containers and their events into the registry and the
 * store, their stdout/stderr into the write queue, and resource samples every
 * statsIntervalMillis. The registry it fills is what the correlator joins against.
 * @example
 * const monitor = new DockerMonitor({ config, store, offer: (b) => queue.offer(b), metrics, logger, hostName: 'host-a' });
 * const correlator = new ContainerCorrelator(monitor.registry);
 * await monitor.start(); monitor.connected; await monitor.shutdown();
 */
export class DockerMonitor {
  /** Every container discovery knows: what the correlator joins against. */
  readonly registry: ContainerRegistry;
  readonly #options: DockerMonitorOptions;
  readonly #events: StoreBatcher<ContainerEventRow>;
  readonly #samples: StoreBatcher<ContainerSampleRow>;
  readonly #metadata: MetadataWriter;
  readonly #logs: ContainerLogs | undefined;
  readonly #connection: DockerConnection;
  #stats: { shutdown(): Promise<void> } | undefined;
  #evictionTimer: NodeJS.Timeout | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: DockerMonitorOptions) {
    this.#options = options;
    const { config, store, metrics, logger, offer } = options;
    declareDockerMetrics(metrics);
    const registry = new ContainerRegistry({
      maxContainers: config.dockerMaxContainers,
      onEvicted: (_entry, reason) => metrics.inc(DOCKER_METRICS.containersEvicted, 1, { reason }),
    });
    this.registry = registry;
    metrics.gauge(DOCKER_METRICS.containersKnown, 'Containers in memory for the join, dead ones included.', () => registry.size);
    const common = { metrics, logger };
    this.#events = new StoreBatcher({ ...common, table: 'events', maxRows: EVENTS_MAX_ROWS, flushIntervalMillis: EVENTS_FLUSH_MILLIS, write: (rows) => store.writeContainerEvents(rows) });
    this.#samples = new StoreBatcher({ ...common, table: 'samples', maxRows: SAMPLES_MAX_ROWS, flushIntervalMillis: config.statsIntervalMillis, write: (rows) => store.writeSamples(rows) });
    this.#metadata = new MetadataWriter({
      ...common,
      registry,
      maxContainers: config.dockerMaxContainers,
      upsert: (rows) => store.upsertContainers(rows),
      flushIntervalMillis: METADATA_FLUSH_MILLIS,
      refreshIntervalMillis: Math.min(METADATA_REFRESH_MAX_MILLIS, (config.retentionHours * MS_PER_HOUR) / 2),
      nowNs: wallClockNs,
      host: options.hostName,
    });
    this.#logs = config.containerLogsEnabled
      ? new ContainerLogs({
          ...common,
          registry,
          offer,
          maxStreams: config.containerLogMaxStreams,
          maxLineBytes: config.containerLogMaxLineBytes,
          linesPerSecond: config.containerLogLinesPerSecond,
          // A follower's rows go to the queue as one batch, which must fit in it.
          burstLines: Math.min(config.containerLogBurstLines, config.queueMaxRows),
          startedAtNs: wallClockNs(),
          nowNs: wallClockNs,
        })
      : undefined;
    const noLogs = { sessionStarted: () => undefined, alive: () => undefined, stopped: () => undefined };
    const discovery = new Discovery({
      ...common,
      registry,
      metadata: this.#metadata,
      events: this.#events,
      listener: this.#logs ?? noLogs,
      requestTimeoutMillis: config.dockerRequestTimeoutMillis,
      nowNs: wallClockNs,
    });
    this.#connection = new DockerConnection({
      ...common,
      dockerHost: config.dockerHost,
      reconnectMinMillis: config.dockerReconnectMinMillis,
      reconnectMaxMillis: config.dockerReconnectMaxMillis,
      requestTimeoutMillis: config.dockerRequestTimeoutMillis,
      run: (session) => discovery.run(session),
    });
  }

  /** Whether the daemon is followed now (for /api/health). */
  get connected(): boolean {
    return this.#connection.connected;
  }

  /**
   * Seeds the registry with the stored containers of the retention window, then starts
   * following the daemon in the background: resolves whether or not a daemon answers.
   * Throws only for a configuration that cannot work (e.g. statsSource 'cgroup' without cgroups).
   */
  async start(): Promise<void> {
    const { config, store, metrics, logger } = this.#options;
    const { registry } = this;
    await seedRegistry({ registry, store, retentionHours: config.retentionHours, nowNs: wallClockNs(), logger });
    this.#stats = startContainerStats({
      config,
      registry,
      // Written at once: one small write a tick, and samples show up without another interval's wait.
      write: (rows) => {
        this.#samples.add(rows);
        void this.#samples.flush();
      },
      metrics,
      logger,
    });
    for (const writer of [this.#events, this.#samples, this.#metadata, this.#logs]) writer?.start();
    this.#connection.start();
    const retentionNs = BigInt(Math.ceil(config.retentionHours * MS_PER_HOUR)) * NS_PER_MS;
    this.#evictionTimer = setInterval(() => registry.evictDeadBefore(wallClockNs() - retentionNs), EVICTION_INTERVAL_MILLIS);
    this.#evictionTimer.unref();
  }

  /** Closes every stream and connection, then writes what was read. Safe to call twice. */
  shutdown(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#evictionTimer);
    try {
      await Promise.all([this.#connection.shutdown(), this.#stats?.shutdown()]);
    } finally {
      this.#logs?.shutdown();
      await Promise.all([this.#events.shutdown(), this.#samples.shutdown(), this.#metadata.shutdown()]);
    }
  }
}
