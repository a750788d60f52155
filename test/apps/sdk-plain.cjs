// The CommonJS twin of sdk-plain.mjs: no tracing code, its own pino logger, run with
// `node --import @tracedock/sdk/register`.
'use strict';
const express = require('express');
const pino = require('pino');

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
