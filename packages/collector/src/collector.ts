import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSuspectsFinder } from './analysis/suspects.js';
import { createApiApp } from './api/app.js';
import { IngestGuard } from './auth/ingest-guard.js';
import { resolveAccessTokens, type AccessTokens } from './auth/tokens.js';
import { resolveHostName } from './host-name.js';
import { within } from './lifecycle/within.js';
import { IN_MEMORY_DATA_DIR, type CollectorConfig } from './config.js';
import { ContainerCorrelator } from './correlate/ContainerCorrelator.js';
import { ContainerRegistry } from './docker/discovery/ContainerRegistry.js';
import { DockerMonitor } from './docker/DockerMonitor.js';
import type { Correlator } from './pipeline/Correlator.js';
import { Ingest } from './pipeline/ingest.js';
import { RetentionTimer } from './pipeline/retention.js';
import { WriteQueue, type OfferResult, type RowBatch } from './pipeline/write-queue.js';
import { closeHttpServer, listenHttp } from './receivers/http/listen.js';
import { OtlpGrpcReceiver } from './receivers/otlp-grpc.js';
import { OtlpHttpReceiver } from './receivers/otlp-http.js';
import { ClickHouseStore } from './store/clickhouse/ClickHouseStore.js';
import { DuckDbStore } from './store/duckdb/DuckDbStore.js';
import { IN_MEMORY } from './store/duckdb/database.js';
import type { Store } from './store/Store.js';
import { parseStoreSetting } from './store/store-setting.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { MetricsRegistry } from './telemetry/metrics.js';
import { VERSION } from './version.js';

export interface CollectorDeps {
  /** Replaces the DuckDB store; the collector still starts and shuts it down. */
  store?: Store;
  logger?: Logger;
  /** Applied to each batch before it is stored; by default the container join of correlate/. */
  correlator?: Correlator;
}

/** Where the collector listens, with the real ports when the configured ones were 0. */
export interface CollectorAddresses {
  host: string;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  uiPort: number;
  /** e.g. http://127.0.0.1:4318 (append /v1/traces) */
  otlpHttpUrl: string;
  /** host:port for gRPC clients, e.g. 127.0.0.1:4317 */
  otlpGrpcAddress: string;
  /** e.g. http://127.0.0.1:4320 */
  uiUrl: string;
}

/** How far back the span deduplication filter is seeded at start. */
const SPAN_DEDUPE_SEED_MILLIS = 15 * 60_000;
/** Requests in flight at shutdown get this long to finish before their connections are cut. */
const RECEIVER_GRACE_MILLIS = 2_000;
const API_GRACE_MILLIS = 1_000;
/** The built UI, found from src/ and dist/ alike (both one level under the package). */
const UI_DIST_DIR = fileURLToPath(new URL('../../ui/dist', import.meta.url));

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The whole collector: OTLP receivers → write queue → store, plus the query API and UI.
 * @example
 * const config = loadConfig({ otlpHttpPort: 0, otlpGrpcPort: 0, uiPort: 0, dataDir: ':memory:' }, {});
 * const collector = new Collector(config);
 * await collector.start();
 * console.log(collector.addresses().otlpHttpUrl);
 * await collector.shutdown();
 */
export class Collector {
  readonly config: CollectorConfig;
  readonly metrics = new MetricsRegistry();
  readonly logger: Logger;
  readonly #deps: CollectorDeps;
  #store: Store | undefined;
  #queue: WriteQueue | undefined;
  #http: OtlpHttpReceiver | undefined;
  #grpc: OtlpGrpcReceiver | undefined;
  #api: Server | undefined;
  #retention: RetentionTimer | undefined;
  #docker: DockerMonitor | undefined;
  #addresses: CollectorAddresses | undefined;
  #started = false;
  #stopped: Promise<void> | undefined;
  #tokens: AccessTokens | undefined;
  #hostName: string | undefined;

  constructor(config: CollectorConfig, deps: CollectorDeps = {}) {
    this.config = config;
    this.#deps = deps;
    this.logger = deps.logger ?? createLogger(config.logLevel);
  }

  /** Starts everything; on failure stops what did start and rethrows. Call once. */
  async start(): Promise<void> {
    if (this.#started) throw new Error('Collector.start() was already called');
    this.#started = true;
    try {
      await this.#start();
    } catch (error) {
      await this.shutdown();
      throw error;
    }
  }

  /** The Docker host this collector runs for (host-name.ts); only after start() resolved. */
  hostName(): string {
    if (this.#hostName === undefined) throw new Error('Collector.hostName() needs a started collector');
    return this.#hostName;
  }

  /** The access tokens in force (auth/tokens.ts); only after start() resolved. */
  accessTokens(): AccessTokens {
    if (this.#tokens === undefined) throw new Error('Collector.accessTokens() needs a started collector');
    return this.#tokens;
  }

  /** The bound addresses; only after start() resolved. */
  addresses(): CollectorAddresses {
    if (this.#addresses === undefined) throw new Error('Collector.addresses() needs a started collector');
    return this.#addresses;
  }

  /**
   * Stops accepting (new requests get 503 / UNAVAILABLE), writes everything accepted, closes
   * the store. Bounded by shutdownTimeoutMillis (plus the store's close); safe to call twice.
   */
  shutdown(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #start(): Promise<void> {
    const { config, metrics, logger } = this;
    const tokens = await resolveAccessTokens(config);
    this.#tokens = tokens;
    const hostName = await resolveHostName(config);
    this.#hostName = hostName;
    const store = this.#deps.store ?? (await this.#createStore(hostName));
    this.#store = store;
    await store.start();
    // The monitor offers container log lines to the queue, which is built after it (its
    // correlator reads the monitor's registry).
    const offer = (batch: RowBatch): OfferResult => this.#queue?.offer(batch) ?? { accepted: false, reason: 'shutting_down' };
    const docker = config.dockerEnabled ? new DockerMonitor({ config, store, offer, metrics, logger, hostName }) : undefined;
    this.#docker = docker;
    // Without Docker the join still applies its container.id rule (and finds nothing else).
    const containers = docker?.registry ?? new ContainerRegistry({ maxContainers: config.dockerMaxContainers });
    const correlator = this.#deps.correlator ?? new ContainerCorrelator(containers);
    const queue = new WriteQueue({ store, config, metrics, logger, correlator });
    this.#queue = queue;
    await this.#seedSpanDedupe(store, queue);
    queue.start();
    await docker?.start();
    const ingest = new Ingest(queue, metrics, logger);
    const guard = new IngestGuard(tokens.ingest, metrics, logger);
    this.#http = new OtlpHttpReceiver({ config, ingest, metrics, logger, guard });
    this.#grpc = new OtlpGrpcReceiver({ config, ingest, metrics, logger, guard });
    const otlpHttpPort = await this.#http.start();
    const otlpGrpcPort = await this.#grpc.start();
    const staticDir = existsSync(UI_DIST_DIR) ? UI_DIST_DIR : undefined;
    const health = (): { docker: { connected: boolean } } => ({ docker: { connected: docker?.connected ?? false } });
    const suspects = createSuspectsFinder({ store, config });
    this.#api = createServer(createApiApp({ store, metrics, logger, version: VERSION, health, staticDir, suspects, apiToken: tokens.api, hostName }));
    const uiPort = await listenHttp(this.#api, config.uiPort, config.host);
    this.#retention = new RetentionTimer({ store, config, metrics, logger });
    this.#retention.start();
    const host = hostInUrl(config.host);
    this.#addresses = {
      host: config.host,
      otlpHttpPort,
      otlpGrpcPort,
      uiPort,
      otlpHttpUrl: `http://${host}:${otlpHttpPort}`,
      otlpGrpcAddress: `${host}:${otlpGrpcPort}`,
      uiUrl: `http://${host}:${uiPort}`,
    };
  }

  /**
   * A batch re-sent across a restart (the exporter's retry of a request whose answer was lost)
   * is still stored once: the filter starts with the newest spans of the last minutes.
   */
  async #seedSpanDedupe(store: Store, queue: WriteQueue): Promise<void> {
    const capacity = this.config.spanDedupeCapacity;
    if (capacity === 0) return;
    const sinceNs = BigInt(Date.now() - SPAN_DEDUPE_SEED_MILLIS) * 1_000_000n;
    try {
      queue.rememberSpans(await store.recentSpanKeys(sinceNs, capacity));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read recent spans for deduplication; re-sent spans from before the restart may be stored twice');
    }
    this.metrics.gauge('tracedock_span_dedupe_bytes', 'Memory of the span deduplication filter (fixed).', () => queue.spanDedupeBytes);
  }

  async #createStore(hostName: string): Promise<Store> {
    const { dataDir, retentionHours } = this.config;
    const setting = parseStoreSetting(this.config.store);
    if (setting.kind === 'clickhouse') {
      this.logger.info({ store: setting.shown, host: hostName }, 'storing in ClickHouse');
      return new ClickHouseStore({ url: setting.url, database: setting.database, hostName, retentionHours });
    }
    const path = dataDir === IN_MEMORY_DATA_DIR ? IN_MEMORY : join(dataDir, 'tracedock.duckdb');
    if (dataDir !== IN_MEMORY_DATA_DIR) await mkdir(dataDir, { recursive: true });
    const store = new DuckDbStore({ path, edgeRollup: { logger: this.logger }, memoryLimit: this.config.duckdbMemoryLimit, threads: this.config.duckdbThreads });
    // The service map's background roll-up (store/duckdb/edge-rollup-job.ts) shows its progress here.
    this.metrics.gauge('tracedock_service_map_rollup_minutes', 'Minutes of service-map edges rolled up since start.', () => store.edgeRollupStats().minutesRolled);
    this.metrics.gauge('tracedock_service_map_rollup_errors', 'Failed service-map roll-up ticks since start.', () => store.edgeRollupStats().errors);
    return store;
  }

  async #shutdown(): Promise<void> {
    const deadline = performance.now() + this.config.shutdownTimeoutMillis;
    const remainingMillis = (): number => Math.max(0, deadline - performance.now());
    // Receivers first, so that every request is either in the queue or refused before it drains.
    this.#http?.stopAccepting();
    this.#grpc?.stopAccepting();
    const grace = Math.min(RECEIVER_GRACE_MILLIS, remainingMillis());
    await Promise.all([this.#http?.shutdown(grace), this.#grpc?.shutdown(grace)]);
    // Docker next: it stops reading container logs and hands the last lines to the queue.
    if (this.#docker !== undefined && (await within(this.#docker.shutdown(), remainingMillis())) === 'timeout') {
      this.logger.warn('the Docker monitor did not stop in time');
    }
    if (this.#retention !== undefined) await within(this.#retention.shutdown(), remainingMillis());
    await this.#queue?.shutdown(remainingMillis());
    if (this.#api !== undefined) await closeHttpServer(this.#api, Math.min(API_GRACE_MILLIS, remainingMillis()));
    // The store gets its own bound: closing it checkpoints what the queue just wrote.
    const storeTimeoutMillis = this.config.shutdownTimeoutMillis;
    if (this.#store !== undefined && (await within(this.#store.shutdown(), storeTimeoutMillis)) === 'timeout') {
      this.logger.error({ timeoutMillis: storeTimeoutMillis }, 'the store did not close in time');
    }
  }
}
