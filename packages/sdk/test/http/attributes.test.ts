import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { redactQuery, serverRequestAttributes, setMethod, splitHostPort } from '../../src/http/attributes.ts';

/**
 * The attribute helpers of the lean HTTP instrumentation: the same values the official
 * instrumentation derives (method normalisation, signed-URL redaction, host and port from Host,
 * Forwarded and X-Forwarded-* headers), without a URL object per request.
 */

function incoming(url: string, headers: Record<string, string>, method = 'GET'): IncomingMessage {
  return { url, headers, method, httpVersion: '1.1', socket: { remoteAddress: '10.0.0.9', remotePort: 51000 } } as unknown as IncomingMessage;
}

describe('attribute helpers', () => {
  it('normalises methods as the semantic conventions say', () => {
    const known: Record<string, unknown> = {};
    setMethod(known, 'get');
    expect(known).toEqual({ 'http.request.method': 'GET', 'http.request.method_original': 'get' });
    const other: Record<string, unknown> = {};
    setMethod(other, 'PURGE');
    expect(other).toEqual({ 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE' });
  });

  it('redacts credentials of signed URLs and leaves other queries alone', () => {
    expect(redactQuery('page=2&q=a%20b')).toBe('page=2&q=a%20b');
    expect(redactQuery('X-Goog-Signature=abc&page=2')).toBe('X-Goog-Signature=REDACTED&page=2');
  });

  it('splits host and port, IPv6 literals included', () => {
    expect(splitHostPort('example.com', 80)).toEqual({ address: 'example.com', port: 80 });
    expect(splitHostPort('example.com:8080', 80)).toEqual({ address: 'example.com', port: 8080 });
    expect(splitHostPort('[::1]:3000', 80)).toEqual({ address: '[::1]', port: 3000 });
    expect(splitHostPort('[::1]', 443)).toEqual({ address: '[::1]', port: 443 });
    expect(splitHostPort('::1', undefined)).toEqual({ address: '::1', port: undefined });
  });

  it('takes server and client addresses from proxy headers when present', () => {
    expect(serverRequestAttributes(incoming('/a?b=1', { host: 'svc:8080' }), 'http')).toMatchObject({
      'server.address': 'svc',
      'server.port': 8080,
      'client.address': '10.0.0.9',
      'url.path': '/a',
      'url.query': 'b=1',
    });
    const forwarded = serverRequestAttributes(incoming('/', { host: 'svc:8080', forwarded: 'for="[2001:db8::1]:4711";host=shop.example;proto=https' }), 'http');
    expect(forwarded).toMatchObject({ 'server.address': 'shop.example', 'server.port': 443, 'client.address': '2001:db8::1', 'network.peer.address': '10.0.0.9' });
    const xff = serverRequestAttributes(incoming('/', { host: 'svc', 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }), 'http');
    expect(xff).toMatchObject({ 'server.address': 'shop.example', 'server.port': 443, 'client.address': '203.0.113.7' });
    expect(serverRequestAttributes(incoming('http://proxy.example/p?q=1', {}), 'http')).toMatchObject({ 'url.path': '/p', 'url.query': 'q=1' });
  });
});
