import type { LogRow, MetricPointRow, SpanRow } from '../model/rows.js';

/**
 * The hook between receiving and storing: applied to each batch right before the store
 * write. The Docker part fills `containerId` here (the rules:
 * correlate/resolve.ts). It must return the same rows, in the same number, and never throw for
 * data reasons; if it does throw, the batch is stored uncorrelated.
 */
export interface Correlator {
  spans(rows: SpanRow[]): SpanRow[] | Promise<SpanRow[]>;
  logs(rows: LogRow[]): LogRow[] | Promise<LogRow[]>;
  metrics(rows: MetricPointRow[]): MetricPointRow[] | Promise<MetricPointRow[]>;
}

/** Leaves every row as it came: `containerId` stays whatever the decoder set (null). */
export const identityCorrelator: Correlator = {
  spans: (rows) => rows,
  logs: (rows) => rows,
  metrics: (rows) => rows,
};
