import type {
  Attributes,
  ContainerEventRow,
  ContainerRow,
  ContainerSampleRow,
  LogRow,
  MetricPointRow,
  MetricTemporality,
  MetricType,
  SpanRow,
} from '../model/rows.js';

/**
 * The one storage interface. The embedded default is DuckDB (./duckdb/); a ClickHouse
 * implementation will follow, so nothing here may name a DuckDB type or SQL dialect.
 * All times are nanoseconds since the epoch (bigint); ranges are [startNs, endNs).
 */
export interface TimeRange {
  startNs: bigint;
  endNs: bigint;
}

/** I/O result as a value: the write queue decides whether to retry. */
export type WriteResult =
  | { ok: true; written: number }
  | { ok: false; retryable: boolean; error: Error };

export interface TraceQuery extends TimeRange {
  service?: string;
  operation?: string;
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  /** 'error': traces with at least one error span; 'ok': traces with none. */
  status?: 'error' | 'ok';
  /**
   * Attribute equality filters; a trace matches when one span has all of them, each as a span
   * attribute or a resource attribute of that span, by its text (numbers and booleans as JSON
   * writes them, lists and maps as their JSON text) or by one element of a list.
   */
  attributes?: Record<string, string>;
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startNs: bigint;
  durationNs: bigint;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface ServiceSummary {
  name: string;
  spanCount: number;
  errorCount: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface LogQuery extends TimeRange {
  service?: string;
  traceId?: string;
  spanId?: string;
  containerId?: string;
  /** Minimum OTLP SeverityNumber. */
  minSeverityNumber?: number;
  /** Case-insensitive substring of the body. */
  text?: string;
  limit: number;
}

export interface ServiceMapEdge {
  from: string;
  to: string;
  calls: number;
  errors: number;
  p95Ms: number;
}

export interface ServiceMap {
  nodes: ServiceSummary[];
  edges: ServiceMapEdge[];
}

export interface MetricQuery extends TimeRange {
  service?: string;
  /** At most this many metrics, the most recently reported first. */
  limit: number;
}

/** One metric of one service: what it is and how much of it the range holds. */
export interface MetricSummary {
  service: string;
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality: MetricTemporality;
  monotonic: boolean;
  pointCount: number;
  /** Distinct attribute sets (plus container) among the points. */
  seriesCount: number;
  lastTimeNs: bigint;
}

export interface MetricPointsQuery extends TimeRange {
  name: string;
  service?: string;
  containerId?: string;
  /** Point attribute equality filters (the value compared as text). */
  attributes?: Record<string, string>;
  /** The newest `limit` points when there are more (upper bound METRIC_POINTS_MAX). */
  limit: number;
}

/** Most points one metric query returns. */
export const METRIC_POINTS_MAX = 20_000;

export interface RetentionPolicy {
  /** Rows whose time is older than nowNs - maxAgeNs are removed. */
  maxAgeNs: bigint;
  /** When the store is larger than this, the oldest data goes first until it fits. */
  maxBytes: number;
  nowNs: bigint;
}

export interface RetentionResult {
  spansRemoved: number;
  logsRemoved: number;
  samplesRemoved: number;
  eventsRemoved: number;
  containersRemoved: number;
  metricPointsRemoved: number;
  sizeBytesAfter: number;
}

/** A (service, span name) pair: what "the same operation" means for duration baselines. */
export interface OperationKey {
  service: string;
  name: string;
}

export interface OperationStats extends OperationKey {
  spanCount: number;
  p95Ms: number;
}

export interface StoreStats {
  spans: number;
  logs: number;
  sizeBytes: number;
}

/**
 * A container as a span, log or query names it. Container ids are unique per Docker engine
 * only, so a store that holds many hosts (ClickHouse, one collector per host) tells two
 * containers with one id apart by `host`, the host name of the collector that stored it
 * (host-name.ts). '' means any host: a one-host store (DuckDB) matches by id alone.
 */
export interface ContainerRef {
  host: string;
  id: string;
}

/** One text per (host, id), for maps and sets of containers. */
export function containerKey(ref: ContainerRef): string {
  return `${ref.host}\u0000${ref.id}`;
}

/**
 * Most samples or events one container query returns: 1 s samples for 5.5 hours. A wider
 * window gets its newest rows (and the API says it was truncated) — never an answer that
 * grows with the retention window.
 */
export const CONTAINER_ROWS_MAX = 20_000;

/** A requested row limit, clamped to 1..CONTAINER_ROWS_MAX. */
export function containerRowsLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return CONTAINER_ROWS_MAX;
  return Math.min(CONTAINER_ROWS_MAX, Math.max(1, Math.floor(limit)));
}

/**
 * What every store has: a name, start and shutdown. A store is written (StoreWriter), read
 * (StoreReader) and maintained (StoreMaintenance), as Jaeger v2's storage API splits them:
 * callers take the part they use, and a second store can be built and tested part by part.
 */
export interface StoreLifecycle {
  /** A short name for /api/health, e.g. "duckdb". */
  readonly kind: string;
  start(): Promise<void>;
  /** Flushes and closes; safe to call twice. */
  shutdown(): Promise<void>;
}

/** The write path: what the write queue and the Docker part store. */
export interface StoreWriter extends StoreLifecycle {
  writeSpans(rows: readonly SpanRow[]): Promise<WriteResult>;
  writeLogs(rows: readonly LogRow[]): Promise<WriteResult>;
  writeSamples(rows: readonly ContainerSampleRow[]): Promise<WriteResult>;
  /** Inserts or replaces container metadata by id. */
  upsertContainers(rows: readonly ContainerRow[]): Promise<WriteResult>;
  writeContainerEvents(rows: readonly ContainerEventRow[]): Promise<WriteResult>;
  writeMetricPoints(rows: readonly MetricPointRow[]): Promise<WriteResult>;
}

/** The read path: what the query API and the suspects analysis ask. */
export interface StoreReader extends StoreLifecycle {
  /** Every span of the trace ordered by start time; empty when unknown. */
  getTraceSpans(traceId: string): Promise<SpanRow[]>;
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  listServices(range: TimeRange): Promise<ServiceSummary[]>;
  serviceMap(range: TimeRange): Promise<ServiceMap>;
  searchLogs(query: LogQuery): Promise<LogRow[]>;
  listContainers(range: TimeRange): Promise<ContainerRow[]>;
  /** The containers referred to, by name; a ref whose host is '' matches its id on every host. */
  getContainers(refs: readonly ContainerRef[]): Promise<ContainerRow[]>;
  /**
   * The container's samples (events) in the range in time order: the newest `limit` of them
   * when there are more (default and upper bound CONTAINER_ROWS_MAX).
   */
  containerSamples(container: ContainerRef, range: TimeRange, limit?: number): Promise<ContainerSampleRow[]>;
  containerEvents(container: ContainerRef, range: TimeRange, limit?: number): Promise<ContainerEventRow[]>;
  /** Per operation asked for: spans starting in the range and their p95; operations with none are left out. */
  operationStats(keys: readonly OperationKey[], range: TimeRange): Promise<OperationStats[]>;
  /**
   * Samples of every container of one Docker host in the range ('' : the only host of a
   * one-host store, every host of a store of many), ordered by container and time; at most `limit` rows.
   */
  samplesInRange(range: TimeRange, limit: number, host?: string): Promise<ContainerSampleRow[]>;
  /** The metrics reported in the range, by service and name; the most recent first. */
  listMetrics(query: MetricQuery): Promise<MetricSummary[]>;
  /** Points of one metric in the range, in time order: the newest `limit` of them when there are more. */
  metricPoints(query: MetricPointsQuery): Promise<MetricPointRow[]>;
  /**
   * (trace id, span id) of the spans starting at or after `sinceNs`, at most `limit` of them
   * (the newest first): what the span deduplication filter is seeded with at start.
   */
  recentSpanKeys(sinceNs: bigint, limit: number): Promise<{ traceId: string; spanId: string }[]>;
}

/** Retention and size: what the retention timer and /api/health use. */
export interface StoreMaintenance extends StoreLifecycle {
  applyRetention(policy: RetentionPolicy): Promise<RetentionResult>;
  stats(): Promise<StoreStats>;
}

export interface Store extends StoreWriter, StoreReader, StoreMaintenance {}

export type { Attributes };
