import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { formatLog } from '../format.js';
import { logsQuery } from '../query.js';
import type { WireLogsResponse } from '../wire.js';

/**
 * GET /api/logs?service&traceId&spanId&containerId&severity&q&start&end&limit → `{ logs }`.
 * `severity` is a minimum (warn = SeverityNumber 13 and above); `q` a case-insensitive substring.
 */
export function logsRoutes({ store }: ApiDeps): Router {
  const router = Router();
  router.get('/logs', async (req, res) => {
    const query = logsQuery.parse(req.query);
    const rows = await store.searchLogs({
      startNs: query.startNs,
      endNs: query.endNs,
      service: query.service,
      traceId: query.traceId,
      spanId: query.spanId,
      containerId: query.containerId,
      minSeverityNumber: query.severity,
      text: query.q,
      limit: query.limit,
    });
    res.json({ logs: rows.map(formatLog) } satisfies WireLogsResponse);
  });
  return router;
}
