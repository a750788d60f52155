// An Express service instrumented in code with @tracedock/sdk (ES module). Used by the SDK's
// end-to-end tests: `node test/apps/sdk-service.mjs <serviceName>`, PORT=0 picks a port,
// DOWNSTREAM_URL makes GET /checkout call the next service's GET /reserve (with fetch; GET
// /checkout-http does the same with node:http). POST /orders reads a JSON body. Prints one JSON line
// {"listening": port} when ready. Modules to be traced are imported after start(): in an ES module
// static imports would load before it.
import { createLogger, start } from '@tracedock/sdk';

const serviceName = process.argv[2] ?? 'sdk-service';
const sdk = start({ serviceName });
const log = createLogger();
const { default: express } = await import('express');
const { trace } = await import('@opentelemetry/api');
const http = await import('node:http');

const downstream = process.env.DOWNSTREAM_URL;
const ids = () => {
  const context = trace.getActiveSpan()?.spanContext();
  return { traceId: context?.traceId ?? null, spanId: context?.spanId ?? null };
};

const app = express();
app.get('/hello', (_req, res) => {
  res.send('hello');
});
app.get('/checkout', async (req, res) => {
  log.info({ req: { headers: { authorization: 'Bearer s3cret-token', cookie: 'session=s3cret-cookie' } } }, 'checkout: request headers');
  let reserved = null;
  if (downstream !== undefined) {
    log.info({ downstream }, 'checkout: reserving stock');
    const answer = await fetch(`${downstream}/reserve?sku=sku-42`);
    reserved = await answer.json();
  }
  log.info('checkout: done');
  res.json({ service: serviceName, ...ids(), reserved });
});
app.get('/checkout-http', (_req, res, next) => {
  http
    .get(`${downstream}/reserve?sku=sku-http`, (answer) => {
      let body = '';
      answer.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      answer.on('end', () => {
        log.info('checkout-http: done');
        res.json({ service: serviceName, ...ids(), reserved: JSON.parse(body) });
      });
    })
    .on('error', next);
});
// The body is parsed in the request's 'data'/'end' listeners: the handler must still run in the server span.
app.post('/orders', express.json(), (req, res) => {
  log.info({ sku: req.body.sku }, 'orders: created');
  res.status(201).json({ service: serviceName, ...ids() });
});
app.get('/reserve', (req, res) => {
  log.info({ sku: req.query.sku }, 'reserve: stock reserved');
  res.json({ service: serviceName, ...ids() });
});
app.get('/stats', (_req, res) => {
  res.json(sdk.stats());
});
app.get('/memory', (_req, res) => {
  globalThis.gc?.();
  res.json(process.memoryUsage());
});
app.get('/resource', (_req, res) => {
  res.json(sdk.resource);
});
// Calls shutdown() three times (two at once, one after): it must neither throw nor flush twice.
app.get('/shutdown', async (_req, res) => {
  const first = sdk.shutdown();
  const second = sdk.shutdown();
  await Promise.all([first, second]);
  await sdk.shutdown();
  res.json({ samePromise: first === second, stats: sdk.stats() });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
