// The CommonJS twin of sdk-service.mjs (same routes), instrumented in code with
// require('@tracedock/sdk'): the SDK is an ES module, loaded here through Node's require(esm).
'use strict';
const { createLogger, start } = require('@tracedock/sdk');

const serviceName = process.argv[2] ?? 'sdk-service-cjs';
const sdk = start({ serviceName });
const log = createLogger();
const express = require('express');
const { trace } = require('@opentelemetry/api');

const downstream = process.env.DOWNSTREAM_URL;
const ids = () => {
  const context = trace.getActiveSpan()?.spanContext();
  return { traceId: context?.traceId ?? null, spanId: context?.spanId ?? null };
};

const app = express();
app.get('/checkout', async (_req, res) => {
  log.info({ req: { headers: { authorization: 'Bearer s3cret-token', cookie: 'session=s3cret-cookie' } } }, 'checkout: request headers');
  let reserved = null;
  if (downstream !== undefined) {
    log.info({ downstream }, 'checkout: reserving stock');
    reserved = await (await fetch(`${downstream}/reserve?sku=sku-42`)).json();
  }
  log.info('checkout: done');
  res.json({ service: serviceName, ...ids(), reserved });
});
app.get('/reserve', (req, res) => {
  log.info({ sku: req.query.sku }, 'reserve: stock reserved');
  res.json({ service: serviceName, ...ids() });
});
app.get('/stats', (_req, res) => {
  res.json(sdk.stats());
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
