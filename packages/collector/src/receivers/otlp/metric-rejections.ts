/**
 * Counts rejected metric data points and keeps the first reason, for the OTLP partial_success
 * answer (`rejected_data_points`). Unlike spans and log records (validate.ts Rejections), a
 * point sits four levels deep, so its location is given as the OTLP/JSON path, the same for
 * both encodings: "resourceMetrics[0].scopeMetrics[1].metrics[2].sum.dataPoints[3]".
 */
export class MetricRejections {
  count = 0;
  private first = '';

  /**
   * Counts `points` rejected data points; `location` is only called for the first rejection,
   * so that the path text is not built for the others.
   */
  add(points: number, problem: string, location: () => string): void {
    if (points <= 0) return;
    if (this.count === 0) this.first = `${location()}: ${problem}`;
    this.count += points;
  }

  /** e.g. "2 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[1]: the metric has no name". */
  message(): string {
    if (this.count === 0) return '';
    return `${this.count} data point${this.count === 1 ? '' : 's'} rejected: ${this.first}`;
  }
}

/** The OTLP/JSON path of a metric, for rejection messages. */
export function metricPath(resourceIndex: number, scopeIndex: number, metricIndex: number): string {
  return `resourceMetrics[${resourceIndex}].scopeMetrics[${scopeIndex}].metrics[${metricIndex}]`;
}
