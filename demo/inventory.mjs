// inventory: GET /stock/:item. Realistic jitter and a small share of failures, so traces
// of the gateway show where errors come from.
import { createLogger } from '@tracedock/sdk';
import { inventoryConfig } from './lib/config.mjs';
import { createApp, listen } from './lib/server.mjs';

const config = inventoryConfig();
const log = createLogger();
const ITEM_PATTERN = /^[a-z0-9-]{1,40}$/;
const MAX_STOCK = 50;

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

function stockOf(item) {
  let hash = 0;
  for (const char of item) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % MAX_STOCK; // 0 now and then: out of stock
}

const app = createApp(log, (app) => {
  app.get('/stock/:item', async (req, res) => {
    const { item } = req.params;
    if (!ITEM_PATTERN.test(item)) return res.status(400).json({ error: 'invalid_item' });
    const span = config.maxLatencyMillis - config.minLatencyMillis;
    const latencyMillis = config.minLatencyMillis + Math.round(Math.random() * Math.max(0, span));
    await sleep(latencyMillis);
    if (Math.random() < config.errorRate) {
      log.warn({ item, latencyMillis }, 'stock database timed out');
      return res.status(503).json({ error: 'stock_unavailable' });
    }
    const available = stockOf(item);
    log.info({ item, available, latencyMillis }, 'stock looked up');
    res.json({ item, available });
  });
});

listen(app, config.port, log);
