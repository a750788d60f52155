// An Express service (ES module) that knows nothing of tracing: its own pino logger, a downstream
// call with fetch. The SDK tests run it with `node --import @tracedock/sdk/register`.
// PORT=0 picks a port; DOWNSTREAM_URL makes GET /checkout call GET /reserve there.
import express from 'express';
import pino from 'pino';

const log = pino();
const downstream = process.env.DOWNSTREAM_URL;
const app = express();

app.get('/checkout', async (_req, res) => {
  log.info('checkout: started');
  const reserved = downstream === undefined ? null : await (await fetch(`${downstream}/reserve?sku=sku-7`)).json();
  log.info('checkout: done');
  res.json({ ok: true, reserved });
});
app.get('/reserve', (req, res) => {
  log.info({ sku: req.query.sku }, 'reserve: stock reserved');
  res.json({ ok: true });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
