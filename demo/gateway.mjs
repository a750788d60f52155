// gateway: the public API. GET /api/checkout?item=<id> places an order; GET /api/report asks
// orders for its CPU-heavy report. Upstream failures become 502s, visible in the trace.
import { createLogger } from '@tracedock/sdk';
import { gatewayConfig } from './lib/config.mjs';
import { callJson } from './lib/upstream.mjs';
import { createApp, listen } from './lib/server.mjs';

const config = gatewayConfig();
const log = createLogger();
const ITEM_PATTERN = /^[a-z0-9-]{1,40}$/;

const app = createApp(log, (app) => {
  app.get('/api/checkout', async (req, res) => {
    const item = req.query.item;
    if (typeof item !== 'string' || !ITEM_PATTERN.test(item)) {
      return res.status(400).json({ error: 'invalid_item' });
    }
    const result = await callJson(`${config.ordersUrl}/orders`, {
      method: 'POST',
      body: { item },
      timeoutMillis: config.upstreamTimeoutMillis,
    });
    if (!result.ok) {
      log.error({ item, upstream: 'orders', upstreamStatus: result.status, reason: result.reason }, 'checkout failed');
      return res.status(502).json({ error: 'orders_failed' });
    }
    log.info({ item, orderId: result.body?.id, orderStatus: result.body?.status }, 'checkout done');
    res.json({ order: result.body });
  });

  app.get('/api/report', async (_req, res) => {
    const result = await callJson(`${config.ordersUrl}/report`, { timeoutMillis: config.upstreamTimeoutMillis });
    if (!result.ok) {
      log.error({ upstream: 'orders', upstreamStatus: result.status, reason: result.reason }, 'report failed');
      return res.status(502).json({ error: 'orders_failed' });
    }
    res.json({ report: result.body });
  });
});

listen(app, config.port, log);
