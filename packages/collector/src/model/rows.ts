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

/** One resource sample of one container (filled by the Docker part). */
export interface ContainerSampleRow {
  containerId: string;
  timeNs: bigint;
  cpuPercent: number | null;
  cpuThrottledMs: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  netRxBytes: number | null;
  netTxBytes: number | null;
  blkReadBytes: number | null;
  blkWriteBytes: number | null;
  pids: number | null;
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
}

export interface ContainerEventRow {
  containerId: string;
  timeNs: bigint;
  action: string;
  attributes: Record<string, string>;
}
