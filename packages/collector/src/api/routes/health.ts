import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { noQuery } from '../query.js';
import type { WireHealth } from '../wire.js';

/** GET /api/health → `{ status: "ok", version, store: "duckdb", host, docker: { connected } }` (host when known). */
export function healthRoutes({ store, version, health, hostName }: ApiDeps): Router {
  const router = Router();
  router.get('/health', (req, res) => {
    noQuery.parse(req.query);
    const { docker } = health();
    res.json({ status: 'ok', version, store: store.kind, ...(hostName === undefined ? {} : { host: hostName }), docker: { connected: docker.connected } } satisfies WireHealth);
  });
  return router;
}
