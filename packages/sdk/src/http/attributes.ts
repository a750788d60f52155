/**
 * The HTTP span attributes of OpenTelemetry's stable semantic conventions, read straight off
 * node:http's request and response objects: the same keys and values the official
 * @opentelemetry/instrumentation-http sets, without building a URL object per request.
 */
import type { Attributes } from '@opentelemetry/api';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export const ATTR = {
  method: 'http.request.method',
  methodOriginal: 'http.request.method_original',
  statusCode: 'http.response.status_code',
  route: 'http.route',
  urlScheme: 'url.scheme',
  urlPath: 'url.path',
  urlQuery: 'url.query',
  urlFull: 'url.full',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  clientAddress: 'client.address',
  peerAddress: 'network.peer.address',
  peerPort: 'network.peer.port',
  protocolVersion: 'network.protocol.version',
  userAgent: 'user_agent.original',
  errorType: 'error.type',
} as const;

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);
/** Query parameters that carry credentials in signed URLs (as the official instrumentation redacts). */
const REDACTED_QUERY_PARAMS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'];
const REDACTED = 'REDACTED';

/** A method outside the HTTP set becomes `_OTHER` (and the original goes to method_original). */
export function setMethod(attributes: Attributes, method: string): void {
  const upper = method.toUpperCase();
  if (KNOWN_METHODS.has(upper)) {
    attributes[ATTR.method] = upper;
    if (upper !== method) attributes[ATTR.methodOriginal] = method;
  } else {
    attributes[ATTR.method] = '_OTHER';
    attributes[ATTR.methodOriginal] = method;
  }
}

export function redactQuery(query: string): string {
  if (!REDACTED_QUERY_PARAMS.some((name) => query.includes(name))) return query;
  const params = new URLSearchParams(query);
  for (const name of REDACTED_QUERY_PARAMS) if (params.has(name)) params.set(name, REDACTED);
  return params.toString();
}

/** `host[:port]` (an IPv6 literal in brackets too) as address and port; the scheme's port when none. */
export function splitHostPort(value: string, defaultPort: number | undefined): { address: string; port: number | undefined } {
  const colon = value.lastIndexOf(':');
  if (colon === -1 || value.endsWith(']') || (value.indexOf(':') !== colon && !value.startsWith('['))) return { address: value, port: defaultPort };
  const port = Number(value.slice(colon + 1));
  return { address: value.slice(0, colon), port: Number.isInteger(port) && port > 0 ? port : defaultPort };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** `host=` and `for=` of the first element of a Forwarded header (RFC 7239). */
function forwarded(header: string, key: 'host' | 'for' | 'proto'): string | undefined {
  const first = header.split(',')[0] ?? '';
  for (const pair of first.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim().toLowerCase() === key) return pair.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return undefined;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/** server.address/port as the request names them: Forwarded, X-Forwarded-Host, then Host. */
function serverAuthority(headers: IncomingHttpHeaders, scheme: string): { address: string; port: number | undefined } | undefined {
  const forwardedHeader = firstHeader(headers.forwarded);
  const fromForwarded = forwardedHeader === undefined ? undefined : forwarded(forwardedHeader, 'host');
  if (fromForwarded !== undefined && forwardedHeader !== undefined) {
    const proto = forwarded(forwardedHeader, 'proto');
    return splitHostPort(fromForwarded, proto === undefined ? undefined : DEFAULT_PORTS[proto]);
  }
  const forwardedHost = firstHeader(headers['x-forwarded-host']);
  if (forwardedHost !== undefined) {
    const proto = firstHeader(headers['x-forwarded-proto']);
    return splitHostPort(forwardedHost, proto === undefined ? undefined : DEFAULT_PORTS[proto]);
  }
  return headers.host === undefined || headers.host === '' ? undefined : splitHostPort(headers.host, DEFAULT_PORTS[scheme]);
}

function clientAddress(request: IncomingMessage): string | undefined {
  const headers = request.headers;
  const forwardedHeader = firstHeader(headers.forwarded);
  const fromForwarded = forwardedHeader === undefined ? undefined : forwarded(forwardedHeader, 'for');
  if (fromForwarded !== undefined) return splitHostPort(fromForwarded, undefined).address.replace(/^\[|\]$/g, '');
  const forwardedFor = firstHeader(headers['x-forwarded-for']);
  if (forwardedFor !== undefined) return splitHostPort(forwardedFor.split(',')[0]?.trim() ?? '', undefined).address.replace(/^\[|\]$/g, '');
  return request.socket.remoteAddress;
}

/** The attributes of a SERVER span known when the request arrives. */
export function serverRequestAttributes(request: IncomingMessage, scheme: 'http' | 'https'): Attributes {
  const headers = request.headers;
  const socket = request.socket;
  const attributes: Attributes = { [ATTR.urlScheme]: scheme };
  setMethod(attributes, request.method ?? 'GET');
  let target = request.url ?? '/';
  // Absolute-form (a request to a proxy): keep the path, as the official instrumentation does.
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      target = url.pathname + url.search;
    } catch {
      // An unparseable target is still the path the client sent.
    }
  }
  const query = target.indexOf('?');
  attributes[ATTR.urlPath] = query === -1 ? target : target.slice(0, query);
  if (query !== -1 && query < target.length - 1) attributes[ATTR.urlQuery] = redactQuery(target.slice(query + 1));
  const server = serverAuthority(headers, scheme);
  if (server !== undefined) {
    attributes[ATTR.serverAddress] = server.address;
    if (server.port !== undefined) attributes[ATTR.serverPort] = server.port;
  }
  const client = clientAddress(request);
  if (client !== undefined) attributes[ATTR.clientAddress] = client;
  if (socket.remoteAddress !== undefined) attributes[ATTR.peerAddress] = socket.remoteAddress;
  if (socket.remotePort !== undefined) attributes[ATTR.peerPort] = socket.remotePort;
  attributes[ATTR.protocolVersion] = request.httpVersion;
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) attributes[ATTR.userAgent] = userAgent;
  return attributes;
}
