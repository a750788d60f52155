/**
 * Lean keep-alive node:http clients for the query bench: POST of OTLP/protobuf bytes (the
 * ingest side) and GET of the query API as the UI calls it, timed to the last byte.
 *
 *   const http = openClient('http://127.0.0.1:4318', 4);
 *   const { status } = await http.post('/v1/traces', bytes, 'application/x-protobuf');
 *   const { status, body, millis } = await http.get('/api/services?start=...&end=...');
 *   http.close();
 */
import { Agent, request } from 'node:http';

const TIMEOUT_MILLIS = 60_000;

export function openClient(baseUrl, connections) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const call = (method, path, body, contentType) =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const headers = body === undefined ? {} : { 'content-type': contentType, 'content-length': body.length };
      const req = request({ agent, hostname: url.hostname, port: url.port, path, method, headers, timeout: TIMEOUT_MILLIS }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Number(res.headers['retry-after'] ?? 'NaN'),
            body: Buffer.concat(chunks),
            millis: performance.now() - t0,
          }),
        );
        res.once('error', (error) => resolve({ status: 0, body: Buffer.from(error.message), millis: NaN }));
      });
      req.once('timeout', () => req.destroy(new Error('request timed out')));
      req.once('error', (error) => resolve({ status: 0, body: Buffer.from(error.message), millis: NaN }));
      req.end(body);
    });
  return {
    post: (path, body, contentType) => call('POST', path, body, contentType),
    get: (path) => call('GET', path),
    close: () => agent.destroy(),
  };
}
