// The service under test of bench/sdk-overhead.mjs: Express 5, two routes, no telemetry code of its
// own (the bench adds it with --import, or not). GET /hello answers a constant; GET /downstream
// makes one HTTP call to DOWNSTREAM_URL (keep-alive agent) and answers with its size. Each request
// logs one pino info line to stdout, as a real service does: the instrumented variants bridge it to
// OTLP logs (instrumentation-pino), so the bench measures log export too. The bench drains stdout.
// Prints {"listening": port} once it serves.
import http from 'node:http';
import express from 'express';
import pino from 'pino';

const downstream = process.env.DOWNSTREAM_URL;
const agent = new http.Agent({ keepAlive: true });
const logger = pino();
const app = express();

app.get('/hello', (_req, res) => {
  logger.info({ route: '/hello' }, 'hello');
  res.send('hello world');
});

app.get('/downstream', (_req, res, next) => {
  if (downstream === undefined) return next(new Error('DOWNSTREAM_URL is not set'));
  http
    .get(`${downstream}/item`, { agent }, (answer) => {
      let bytes = 0;
      answer.on('data', (chunk) => {
        bytes += chunk.length;
      });
      answer.on('end', () => {
        logger.info({ route: '/downstream', status: answer.statusCode, bytes }, 'downstream');
        res.json({ status: answer.statusCode, bytes });
      });
    })
    .on('error', next);
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});

// The official register's SIGTERM handler only shuts its SDK down (the signal no longer exits the
// process), so the app ends itself: stop serving, and the loop empties once exports are done.
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  agent.destroy();
});
