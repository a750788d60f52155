import { Router } from 'express';
import { METRIC_POINTS_MAX } from '../../store/Store.js';
import type { ApiDeps } from '../deps.js';
import { formatMetricSeries, formatMetricSummary } from '../format-metrics.js';
import { metricSeriesQuery, metricsQuery } from '../query.js';
import type { WireMetricSeriesResponse, WireMetricsResponse } from '../wire.js';

/**
 * GET /api/metrics?service&start&end&limit → `{ metrics }`: each (service, metric name)
 * reported in the range, the most recently reported first.
 * GET /api/metrics/series?name&service&containerId&attr.KEY=VALUE&start&end → the metric's
 * points grouped into series (WireMetricSeriesResponse); `name` is required. At most
 * METRIC_POINTS_MAX points, the newest; `truncated` says when the range held more. A metric
 * with no points in the range answers 200 with `metric: null` and no series, so that a chart
 * needs no special case. (The Prometheus text of the collector's own counters is /metrics.)
 */
export function metricsApiRoutes({ store }: ApiDeps): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const query = metricsQuery.parse(req.query);
    const rows = await store.listMetrics(query);
    res.json({ metrics: rows.map(formatMetricSummary) } satisfies WireMetricsResponse);
  });
  router.get('/metrics/series', async (req, res) => {
    const query = metricSeriesQuery.parse(req.query);
    const rows = await store.metricPoints({
      name: query.name,
      startNs: query.startNs,
      endNs: query.endNs,
      limit: METRIC_POINTS_MAX,
      ...(query.service === undefined ? {} : { service: query.service }),
      ...(query.containerId === undefined ? {} : { containerId: query.containerId }),
      ...(query.attr === undefined ? {} : { attributes: query.attr }),
    });
    res.json(formatMetricSeries(query.name, rows, rows.length >= METRIC_POINTS_MAX) satisfies WireMetricSeriesResponse);
  });
  return router;
}
