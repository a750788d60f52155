import express, { type Express } from 'express';
import { accessCheck } from './access.js';
import { compressJson } from './compress.js';
import type { ApiDeps } from './deps.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { containersRoutes } from './routes/containers.js';
import { healthRoutes } from './routes/health.js';
import { logsRoutes } from './routes/logs.js';
import { metricsApiRoutes } from './routes/metrics-api.js';
import { metricsRoutes } from './routes/metrics.js';
import { serviceMapRoutes } from './routes/service-map.js';
import { servicesRoutes } from './routes/services.js';
import { tracesRoutes } from './routes/traces.js';
import { staticUiRoutes } from './static.js';

export type { ApiDeps, Suspect } from './deps.js';

/** The API takes no bodies today; the parser is bounded and wired so any future one is checked. */
const API_BODY_MAX_BYTES = 64 * 1024;

/**
 * The query API, /metrics and the built UI on one express app (the UI port, 4320).
 * @example
 * const app = createApiApp({ store, metrics, logger, version: '0.1.0', health: () => ({ docker: { connected: true } }) });
 * const server = app.listen(config.uiPort, config.host);
 */
export function createApiApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // node:querystring: a repeated name becomes an array (rejected by query.ts), no nested objects.
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(accessCheck(deps.apiToken ?? null));
  app.use('/api', compressJson, express.json({ limit: API_BODY_MAX_BYTES }));
  app.use(
    '/api',
    healthRoutes(deps),
    servicesRoutes(deps),
    tracesRoutes(deps),
    logsRoutes(deps),
    serviceMapRoutes(deps),
    containersRoutes(deps),
    metricsApiRoutes(deps),
    notFoundHandler,
  );
  app.use(metricsRoutes(deps));
  if (deps.staticDir !== undefined) app.use(staticUiRoutes(deps.staticDir));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}
