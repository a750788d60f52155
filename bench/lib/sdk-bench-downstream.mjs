// The downstream of bench/sdk-overhead.mjs's /downstream route: a plain node:http server, never
// instrumented, so that only the front service's telemetry differs between the variants.
import http from 'node:http';

const body = JSON.stringify({ id: 42, name: 'widget', stock: 7 });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
