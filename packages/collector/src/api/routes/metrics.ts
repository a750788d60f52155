import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { noQuery } from '../query.js';

/** The Prometheus text exposition format, version 0.0.4. */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** GET /metrics → the collector's own counters and gauges for Prometheus to scrape. */
export function metricsRoutes({ metrics }: ApiDeps): Router {
  const router = Router();
  router.get('/metrics', (req, res) => {
    noQuery.parse(req.query);
    res.set('Content-Type', PROMETHEUS_CONTENT_TYPE).send(metrics.render());
  });
  return router;
}
