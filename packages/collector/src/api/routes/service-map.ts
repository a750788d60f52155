import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { formatServiceMap } from '../format.js';
import { rangeQuery } from '../query.js';

/** GET /api/service-map?start&end → `{ nodes: [service summaries], edges: [{ from, to, calls, errors, p95Ms }] }`. */
export function serviceMapRoutes({ store }: ApiDeps): Router {
  const router = Router();
  router.get('/service-map', async (req, res) => {
    const range = rangeQuery.parse(req.query);
    const map = await store.serviceMap({ startNs: range.startNs, endNs: range.endNs });
    res.json(formatServiceMap(map));
  });
  return router;
}
