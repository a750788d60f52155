import type { ContainerEventRow, ContainerRow, ContainerSampleRow, LogRow, MetricPointRow, SpanRow } from '../../model/rows.js';
import type {
  ContainerRef,
  LogQuery,
  MetricPointsQuery,
  MetricQuery,
  MetricSummary,
  OperationKey,
  OperationStats,
  ServiceMap,
  ServiceSummary,
  StoreReader,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../Store.js';
import { containerRowsLimit } from '../Store.js';
import { clickhouseClient } from './client.js';
import { containerEvents, containerSamples, getContainers, listContainers, samplesInRange } from './queries/containers.js';
import type { ClickHouseQueryContext } from './queries/context.js';
import { searchLogs } from './queries/logs.js';
import { listMetrics, metricPoints } from './queries/metrics.js';
import { operationStats } from './queries/operations.js';
import { serviceMap } from './queries/service-map.js';
import { listServices } from './queries/services.js';
import { recentSpanKeys } from './queries/span-keys.js';
import { searchTraces } from './queries/trace-search.js';
import { getTraceSpans } from './queries/traces.js';
import { quoteIdentifier } from './schema.js';

export interface ClickHouseReaderOptions {
  url: string;
  database: string;
  /** This collector's host: the spans that seed its deduplication filter are its own. */
  hostName: string;
  requestTimeoutMillis?: number;
}

/**
 * The read half of the ClickHouse store: every query of the API over all hosts' rows, one
 * statement each (queries/). Answers are those of the DuckDB store for the same rows (the
 * contract tests in test/ hold both to it), with each container and span carrying its host.
 * @example
 * const reader = new ClickHouseReader({ url: 'http://127.0.0.1:8123', database: 'tracedock', hostName: 'host-a' });
 * const spans = await reader.getTraceSpans('4bf92f3577b34da6a3ce929d0e0e4736');
 */
export class ClickHouseReader implements StoreReader {
  readonly kind = 'clickhouse';
  readonly #ctx: ClickHouseQueryContext;
  readonly #hostName: string;
  #closed = false;

  constructor(options: ClickHouseReaderOptions) {
    // Int64 as strings (a JSON number loses nanoseconds); NaN and infinities as text.
    const client = clickhouseClient(options.url, options.requestTimeoutMillis, { output_format_json_quote_64bit_integers: 1, output_format_json_quote_denormals: 1 });
    this.#ctx = { client, db: quoteIdentifier(options.database) };
    this.#hostName = options.hostName;
  }

  async start(): Promise<void> {
    const result = await this.#ctx.client.ping();
    if (!result.success) throw new Error('the ClickHouse server does not answer', { cause: 'error' in result ? result.error : undefined });
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ctx.client.close();
  }

  /** The reader's client and database, for the maintenance half of the store. */
  get context(): ClickHouseQueryContext {
    return this.#ctx;
  }

  getTraceSpans(traceId: string): Promise<SpanRow[]> {
    return getTraceSpans(this.#ctx, traceId);
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return searchTraces(this.#ctx, query);
  }

  listServices(range: TimeRange): Promise<ServiceSummary[]> {
    return listServices(this.#ctx, range);
  }

  serviceMap(range: TimeRange): Promise<ServiceMap> {
    return serviceMap(this.#ctx, range);
  }

  searchLogs(query: LogQuery): Promise<LogRow[]> {
    return searchLogs(this.#ctx, query);
  }

  listContainers(range: TimeRange): Promise<ContainerRow[]> {
    return listContainers(this.#ctx, range);
  }

  getContainers(refs: readonly ContainerRef[]): Promise<ContainerRow[]> {
    return getContainers(this.#ctx, refs);
  }

  containerSamples(container: ContainerRef, range: TimeRange, limit?: number): Promise<ContainerSampleRow[]> {
    return containerSamples(this.#ctx, container, range, containerRowsLimit(limit));
  }

  containerEvents(container: ContainerRef, range: TimeRange, limit?: number): Promise<ContainerEventRow[]> {
    return containerEvents(this.#ctx, container, range, containerRowsLimit(limit));
  }

  operationStats(keys: readonly OperationKey[], range: TimeRange): Promise<OperationStats[]> {
    return operationStats(this.#ctx, keys, range);
  }

  samplesInRange(range: TimeRange, limit: number, host = ''): Promise<ContainerSampleRow[]> {
    return samplesInRange(this.#ctx, range, limit, host);
  }

  listMetrics(query: MetricQuery): Promise<MetricSummary[]> {
    return listMetrics(this.#ctx, query);
  }

  metricPoints(query: MetricPointsQuery): Promise<MetricPointRow[]> {
    return metricPoints(this.#ctx, query);
  }

  recentSpanKeys(sinceNs: bigint, limit: number): Promise<{ traceId: string; spanId: string }[]> {
    return recentSpanKeys(this.#ctx, this.#hostName, sinceNs, limit);
  }
}
