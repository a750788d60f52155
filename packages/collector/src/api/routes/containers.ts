import { Router } from 'express';
import { CONTAINER_ROWS_MAX } from '../../store/Store.js';
import type { ApiDeps } from '../deps.js';
import { formatContainer, formatContainerEvent, formatSample } from '../format.js';
import { containerIdPath, containerRowsQuery, rangeQuery } from '../query.js';
import type { WireContainerEventsResponse, WireContainersResponse, WireSamplesResponse } from '../wire.js';

/**
 * GET /api/containers?start&end → `{ containers }` (those alive at some time in the range);
 * GET /api/containers/:id/samples?start&end&host → `{ samples: [{ t, cpuPercent, ... }] }`;
 * GET /api/containers/:id/events?start&end&host → `{ events: [{ t, action, attributes }] }`.
 * `host` picks the Docker host's container when a store holds many; without it, the id on any host.
 * Samples and events: at most CONTAINER_ROWS_MAX, the newest; `truncated` says when more were in the range.
 * An unknown container id has no samples and no events: 200 with empty lists, as for a
 * known container that was idle, so that a chart needs no special case.
 */
export function containersRoutes({ store }: ApiDeps): Router {
  const router = Router();
  router.get('/containers', async (req, res) => {
    const range = rangeQuery.parse(req.query);
    const rows = await store.listContainers({ startNs: range.startNs, endNs: range.endNs });
    res.json({ containers: rows.map(formatContainer) } satisfies WireContainersResponse);
  });
  router.get('/containers/:id/samples', async (req, res) => {
    const { id } = containerIdPath.parse(req.params);
    const range = containerRowsQuery.parse(req.query);
    const rows = await store.containerSamples({ host: range.host ?? '', id }, { startNs: range.startNs, endNs: range.endNs });
    res.json({ samples: rows.map(formatSample), truncated: rows.length >= CONTAINER_ROWS_MAX } satisfies WireSamplesResponse);
  });
  router.get('/containers/:id/events', async (req, res) => {
    const { id } = containerIdPath.parse(req.params);
    const range = containerRowsQuery.parse(req.query);
    const rows = await store.containerEvents({ host: range.host ?? '', id }, { startNs: range.startNs, endNs: range.endNs });
    res.json({ events: rows.map(formatContainerEvent), truncated: rows.length >= CONTAINER_ROWS_MAX } satisfies WireContainerEventsResponse);
  });
  return router;
}
