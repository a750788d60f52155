import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { formatService } from '../format.js';
import { rangeQuery } from '../query.js';
import type { WireServicesResponse } from '../wire.js';

/** GET /api/services?start&end → `{ services: [{ name, spanCount, errorCount, p50Ms, p95Ms, p99Ms }] }`. */
export function servicesRoutes({ store }: ApiDeps): Router {
  const router = Router();
  router.get('/services', async (req, res) => {
    const range = rangeQuery.parse(req.query);
    const services = await store.listServices({ startNs: range.startNs, endNs: range.endNs });
    res.json({ services: services.map(formatService) } satisfies WireServicesResponse);
  });
  return router;
}
