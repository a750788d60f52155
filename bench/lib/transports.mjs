/**
 * Lean OTLP trace senders for the ingest bench: each sends pre-built bytes and reports what
 * became of them, nothing more (no serialisation, no retries: the caller decides).
 *
 *   const transport = openTransport('http', { otlpHttpUrl, encoding: 'proto', connections: 4 });
 *   const outcome = await transport.send(bytes); // { kind: 'ok' | 'refused' | 'failed', ... }
 *   transport.close();
 *
 * Clients: 'http' (node:http, keep-alive agent), 'fetch' (the global fetch, undici) and
 * 'grpc' (@grpc/grpc-js with identity serializers on the raw Export method).
 */
import { Agent, request } from 'node:http';
import grpc from '@grpc/grpc-js';

const CONTENT_TYPES = { proto: 'application/x-protobuf', json: 'application/json' };
const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const REQUEST_TIMEOUT_MILLIS = 30_000;
const TRACES_PATH = '/v1/traces';

/** 429 and 503 are OTLP's "retry later"; the rest is a failure the bench reports. */
function httpOutcome(status, retryAfterHeader, detail) {
  if (status === 200) return { kind: 'ok' };
  const retryAfterSeconds = Number(retryAfterHeader ?? 'NaN');
  if (status === 429 || status === 503) return { kind: 'refused', status, retryAfterSeconds };
  return { kind: 'failed', status, message: detail };
}

function openNodeHttp({ otlpHttpUrl, encoding, connections, path = TRACES_PATH }) {
  const url = new URL(path, otlpHttpUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const contentType = CONTENT_TYPES[encoding];
  const send = (body) =>
    new Promise((resolve) => {
      const req = request(
        {
          agent,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          timeout: REQUEST_TIMEOUT_MILLIS,
          headers: { 'content-type': contentType, 'content-length': body.length },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const retryAfter = res.headers['retry-after'];
          if (status === 200 || status === 429 || status === 503) {
            res.resume();
            res.once('end', () => resolve(httpOutcome(status, retryAfter, '')));
          } else {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.once('end', () => resolve(httpOutcome(status, retryAfter, Buffer.concat(chunks).toString('utf8', 0, 300))));
          }
          res.once('error', (error) => resolve({ kind: 'failed', status: 0, message: error.message }));
        },
      );
      req.once('timeout', () => req.destroy(new Error('request timed out')));
      req.once('error', (error) => resolve({ kind: 'failed', status: 0, message: error.message }));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

function openFetch({ otlpHttpUrl, encoding, path = TRACES_PATH }) {
  const url = new URL(path, otlpHttpUrl).href;
  const headers = { 'content-type': CONTENT_TYPES[encoding] };
  const send = async (body) => {
    try {
      const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS) });
      const text = response.status === 200 ? (await response.arrayBuffer(), '') : (await response.text()).slice(0, 300);
      return httpOutcome(response.status, response.headers.get('retry-after'), text);
    } catch (error) {
      return { kind: 'failed', status: 0, message: error.message };
    }
  };
  return { send, close: () => undefined };
}

function openGrpc({ otlpGrpcAddress }) {
  const identity = (bytes) => bytes;
  const client = new grpc.Client(otlpGrpcAddress, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  const send = (body) =>
    new Promise((resolve) => {
      const deadline = Date.now() + REQUEST_TIMEOUT_MILLIS;
      client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, body, { deadline }, (error) => {
        if (error === null) return resolve({ kind: 'ok' });
        if (error.code === grpc.status.RESOURCE_EXHAUSTED || error.code === grpc.status.UNAVAILABLE) {
          return resolve({ kind: 'refused', status: `grpc ${error.code}`, retryAfterSeconds: NaN });
        }
        resolve({ kind: 'failed', status: `grpc ${error.code}`, message: error.details ?? error.message });
      });
    });
  return { send, close: () => client.close() };
}

/**
 * @param {'http' | 'fetch' | 'grpc'} client
 * `path` picks the OTLP/HTTP endpoint ('/v1/traces' by default, '/v1/logs' for log records).
 * @param {{ otlpHttpUrl: string, otlpGrpcAddress: string, encoding: 'proto' | 'json', connections: number, path?: string }} target
 */
export function openTransport(client, target) {
  if (client === 'grpc') return openGrpc(target);
  if (client === 'fetch') return openFetch(target);
  if (client === 'http') return openNodeHttp(target);
  throw new Error(`unknown client ${JSON.stringify(client)}: http, fetch or grpc`);
}
