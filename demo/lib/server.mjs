// What every demo service shares: /healthz, a request log line, one error handler, shutdown.
import express from 'express';
import { start } from '@tracedock/sdk';

/** Builds an Express app with the shared middleware; `routes(app)` adds the service's own. */
export function createApp(log, routes) {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.use((req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path === '/healthz') return;
      const durationMillis = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const fields = { method: req.method, path: req.path, status: res.statusCode, durationMillis };
      // Logged by status, as fastify does: 5xx at error, 4xx at info.
      if (res.statusCode >= 500) log.error(fields, 'request failed');
      else log.info(fields, 'request completed');
    });
    next();
  });
  routes(app);
  app.use((_req, res) => res.status(404).json({ error: 'not_found' }));
  // One error handler: stable codes, no internals in the response.
  app.use((error, _req, res, _next) => {
    const status = Number.isInteger(error?.status) && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) log.error({ err: error }, 'unhandled error');
    res.status(status).json({ error: status >= 500 ? 'internal_error' : 'bad_request' });
  });
  return app;
}

const SHUTDOWN_GRACE_MILLIS = 5000;

/** Listens on `port`; on SIGTERM/SIGINT stops accepting, lets requests finish, then exits. */
export function listen(app, port, log) {
  const server = app.listen(port, () => log.info({ port }, 'listening'));
  let closing = false;
  const stop = (signal) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    // start() returns the SDK that --import @tracedock/sdk/register started; its shutdown is
    // bounded, so the exit is too. Open connections get the same bound.
    const exit = () => start().shutdown().finally(() => process.exit(0));
    setTimeout(exit, SHUTDOWN_GRACE_MILLIS).unref();
    server.close(exit);
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}
