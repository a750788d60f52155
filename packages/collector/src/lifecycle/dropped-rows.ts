import type { Labels, MetricsRegistry } from '../telemetry/metrics.js';
import type { Notices } from '../telemetry/notices.js';
import type { DropReason } from './write-retry.js';

export interface DroppedRowsOptions {
  metrics: MetricsRegistry;
  /** The counter, declared by its owner (with the labels it shows at 0). */
  metric: string;
  notices: Notices;
}

/**
 * How rows that will never be stored are accounted for, wherever they are dropped (the write
 * queue, the Docker part's batches): every row counted in `metric`, the first drop of each kind
 * (labels and reason) logged at error; a failing store would otherwise log on every batch.
 * @example
 * const drops = new DroppedRows({ metrics, metric: 'tracedock_rows_dropped_total', notices });
 * drops.count(rows.length, { signal: 'spans', reason }, reason, outcome.error);
 */
export class DroppedRows {
  readonly #options: DroppedRowsOptions;

  constructor(options: DroppedRowsOptions) {
    this.#options = options;
  }

  /** `labels` are the series' (the reason among them or not, as the metric has it). */
  count(rows: number, labels: Labels, reason: DropReason, error: Error | undefined): void {
    if (rows === 0) return;
    const { metrics, metric, notices } = this.#options;
    metrics.inc(metric, rows, labels);
    const kind = `${metric}:${reason}:${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`;
    const message = `rows dropped (${reason}); further drops of this kind are only counted in ${metric}`;
    notices.once('error', kind, { ...labels, reason, rows, err: error }, message);
  }
}
