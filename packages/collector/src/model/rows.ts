/**
 * The flat rows that flow through the collector: receivers produce them, correlate/ fills
 * `containerId`, the store keeps them. Times are nanoseconds since the epoch as bigint.
 */

/** An attribute value after decoding: OTLP AnyValue mapped to plain JSON-able values. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** Attributes keyed by name. int64 values outside the safe integer range are decimal strings. */
export type Attributes = Record<string, AttributeValue>;

/** OTLP SpanKind numbers: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;

/** OTLP StatusCode numbers: 0 unset, 1 ok, 2 error. */
export type StatusCodeNumber = 0 | 1 | 2;

export interface SpanEventRow {
  timeNs: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLinkRow {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface SpanRow {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 lowercase hex digits, or null for a root span. */
  parentSpanId: string | null;
  traceState: string;
  /** `service.name` of the resource; `unknown_service` when absent, as the OTel spec says. */
  service: string;
  name: string;
  kind: SpanKindNumber;
  startNs: bigint;
  endNs: bigint;
  statusCode: StatusCodeNumber;
  statusMessage: string;
  attributes: Attributes;
  events: SpanEventRow[];
  links: SpanLinkRow[];
  resource: Attributes;
  scopeName: string;
  scopeVersion: string;
  /** Filled by correlate/; null where no container matched (never a guess). */
  containerId: string | null;
  /**
   * The host name of the collector that stored it, as read from a store of many hosts
   * (ClickHouse): with containerId, the container it ran in. Absent from one-host stores.
   */
  host?: string;
}

/** Where a log record came from. */
export type LogSource = 'otlp' | 'stdout' | 'stderr';

export interface LogRow {
  /** The record's time; observed time where the record has none. */
  timeNs: bigint;
  observedTimeNs: bigint;
  /** 32 lowercase hex digits or null. */
  traceId: string | null;
  /** 16 lowercase hex digits or null. */
  spanId: string | null;
  /** OTLP SeverityNumber 0..24. */
  severityNumber: number;
  severityText: string;
  /** A string body as is; any other body as its JSON text. */
  body: string;
  attributes: Attributes;
  resource: Attributes;
  service: string;
  scopeName: string;
  source: LogSource;
  containerId: string | null;
}

/**
 * One resource sample of one container (filled by docker/stats/), with the values `docker stats`
 * shows. Counters (throttling, network, block I/O, failcnt, OOM kills, pressure) are cumulative
 * since the container's cgroup was created, as the kernel and `docker stats` give them: the change
 * over a window is the difference of two samples, and a missed sample loses nothing. A counter
 * that goes down means the container restarted. null: not known from the source in use.
 */
export interface ContainerSampleRow {
  containerId: string;
  timeNs: bigint;
  /** CPU over the last interval, 100 = one core busy (docker stats' definition); null on a container's first sample. */
  cpuPercent: number | null;
  /** Time the CFS quota held the container back (cpu.stat throttled_time / throttled_usec). */
  cpuThrottledMs: number | null;
  /** Enforcement periods (100 ms by default) in which the container ran, and of those, was throttled. */
  cpuPeriods: number | null;
  cpuThrottledPeriods: number | null;
  /** The CPU quota in cores (0.2 for `--cpus 0.2`); null without a quota. */
  cpuLimitCores: number | null;
  /** Usage minus inactive page cache, as docker stats (CLI >= 20.10) shows it. */
  memoryBytes: number | null;
  /** The memory limit; the host's memory when the container has none (as docker stats shows it). */
  memoryLimitBytes: number | null;
  /** Times usage hit the limit: v1 memory.failcnt; v2 memory.events `oom` (what dockerd reports as failcnt). */
  memoryFailcnt: number | null;
  /** Processes the OOM killer ended inside the container (memory.oom_control / memory.events `oom_kill`). */
  memoryOomKills: number | null;
  /** null for containers on the host network: they have no counters of their own (docker stats shows 0 B). */
  netRxBytes: number | null;
  netTxBytes: number | null;
  blkReadBytes: number | null;
  blkWriteBytes: number | null;
  pids: number | null;
  /**
   * Pressure stall time (PSI `total`): `some` = at least one task waited for the resource, `full`
   * = all did. null where the kernel exposes no PSI for the container (no cgroup v2 hierarchy,
   * PSI off, or the Docker API source).
   */
  cpuPressureSomeMs: number | null;
  cpuPressureFullMs: number | null;
  memoryPressureSomeMs: number | null;
  memoryPressureFullMs: number | null;
  ioPressureSomeMs: number | null;
  ioPressureFullMs: number | null;
}

/** Container metadata, kept for dead containers too until retention removes it. */
export interface ContainerRow {
  id: string;
  name: string;
  image: string;
  hostname: string;
  service: string | null;
  project: string | null;
  state: string;
  startedAtNs: bigint | null;
  finishedAtNs: bigint | null;
  restartCount: number;
  cpuLimit: number | null;
  memoryLimitBytes: number | null;
  labels: Record<string, string>;
  updatedAtNs: bigint;
  /**
   * The Docker host it runs on (the collector's host name, host-name.ts): container ids are
   * unique per engine only. '' for a container stored before hosts were recorded.
   */
  host: string;
}

export interface ContainerEventRow {
  containerId: string;
  timeNs: bigint;
  action: string;
  attributes: Record<string, string>;
}

/** The OTLP metric data kinds (the Metric `data` oneof), named as in metrics.proto. */
export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/** AggregationTemporality: how a sum or histogram point relates to earlier ones. */
export type MetricTemporality = 'unspecified' | 'delta' | 'cumulative';

/** Buckets of one exponential-histogram side: counts[i] covers bucket index offset + i. */
export interface ExponentialBuckets {
  offset: number;
  counts: number[];
}

/**
 * The distribution part of a point, by type: explicit-bounds buckets (histogram: counts has
 * bounds.length + 1 entries, the last one above the highest bound), base-2 exponential buckets
 * (exponential_histogram), or reported quantiles (summary). null for gauge and sum points.
 */
export type MetricDistribution =
  | { kind: 'explicit'; bounds: number[]; counts: number[] }
  | { kind: 'exponential'; scale: number; zeroCount: number; zeroThreshold: number; positive: ExponentialBuckets; negative: ExponentialBuckets }
  | { kind: 'quantiles'; quantiles: { quantile: number; value: number }[] };

/**
 * One OTLP metric data point with its metric's identity (name, unit, type), resource and scope.
 * uint64/int64 counts and int values are JS numbers: exact up to 2^53, approximate beyond.
 */
export interface MetricPointRow {
  /** The point's time_unix_nano. */
  timeNs: bigint;
  /** start_time_unix_nano; 0n when the sender gave none (gauges usually). */
  startTimeNs: bigint;
  /** `service.name` of the resource; `unknown_service` when absent. */
  service: string;
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** 'unspecified' for gauges and summaries, which have no temporality. */
  temporality: MetricTemporality;
  /** Sum.is_monotonic; false for every other type. */
  monotonic: boolean;
  /** gauge and sum: the point's value (as_int or as_double); null for the distribution types. */
  value: number | null;
  /** Whether `value` came as an int (as_int) rather than a double. */
  valueIsInt: boolean;
  /** histogram, exponential_histogram, summary: count and sum; min/max where the sender gave them. */
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  distribution: MetricDistribution | null;
  /** DataPointFlags (1 = no recorded value). */
  flags: number;
  attributes: Attributes;
  resource: Attributes;
  scopeName: string;
  scopeVersion: string;
  /** Filled by correlate/ as for spans; null where no container matched. */
  containerId: string | null;
}
