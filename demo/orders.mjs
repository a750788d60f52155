// orders: POST /orders checks stock at inventory; GET /report burns CPU. The compose file
// gives this service a tight CPU limit, so reports show up as a resource suspect.
import { createHash, randomUUID } from 'node:crypto';
import { createLogger } from '@tracedock/sdk';
import { ordersConfig } from './lib/config.mjs';
import { callJson } from './lib/upstream.mjs';
import { createApp, listen } from './lib/server.mjs';

const config = ordersConfig();
const log = createLogger();
const ITEM_PATTERN = /^[a-z0-9-]{1,40}$/;

function isStock(body) {
  return typeof body === 'object' && body !== null
    && typeof body.item === 'string' && Number.isInteger(body.available);
}

// Deliberately synchronous: the event loop is blocked as long as the CPU is busy.
function buildReport(rounds) {
  let digest = Buffer.from('tracedock');
  for (let round = 0; round < rounds; round += 1) digest = createHash('sha256').update(digest).digest();
  return digest.toString('hex');
}

const app = createApp(log, (app) => {
  app.post('/orders', async (req, res) => {
    const item = req.body?.item;
    if (typeof item !== 'string' || !ITEM_PATTERN.test(item)) {
      return res.status(400).json({ error: 'invalid_item' });
    }
    const stock = await callJson(`${config.inventoryUrl}/stock/${encodeURIComponent(item)}`, {
      timeoutMillis: config.upstreamTimeoutMillis,
    });
    if (!stock.ok || !isStock(stock.body)) {
      log.error({ item, upstream: 'inventory', upstreamStatus: stock.status, reason: stock.ok ? 'invalid_body' : stock.reason }, 'stock check failed');
      return res.status(502).json({ error: 'inventory_failed' });
    }
    const order = {
      id: randomUUID(),
      item,
      status: stock.body.available > 0 ? 'confirmed' : 'backordered',
      createdAt: new Date().toISOString(),
    };
    log.info({ orderId: order.id, item, orderStatus: order.status, available: stock.body.available }, 'order placed');
    res.status(201).json(order);
  });

  app.get('/report', (_req, res) => {
    const startedAt = process.cpuUsage();
    const digest = buildReport(config.reportHashRounds);
    const cpu = process.cpuUsage(startedAt);
    const cpuMillis = Math.round((cpu.user + cpu.system) / 1000);
    log.info({ rounds: config.reportHashRounds, cpuMillis }, 'report built');
    res.json({ digest, rounds: config.reportHashRounds, cpuMillis });
  });
});

listen(app, config.port, log);
