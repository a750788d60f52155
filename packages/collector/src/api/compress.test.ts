import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressJson } from './compress.js';

interface RawAnswer {
  status: number;
  encoding: string | undefined;
  body: Buffer;
}

/** node:http, not fetch: fetch asks for gzip itself and hides the encoding. */
function rawGet(port: number, path: string, acceptEncoding?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const encoding = res.headers['content-encoding'];
        resolve({ status: res.statusCode ?? 0, encoding, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressJson', () => {
  const big = { items: Array.from({ length: 500 }, (_, i) => ({ i, name: `span-${i}` })) };
  let server: ReturnType<express.Express['listen']>;
  let port = 0;

  beforeAll(async () => {
    const app = express();
    app.use(compressJson);
    app.get('/big', (_req, res) => res.json(big));
    app.get('/small', (_req, res) => res.json({ ok: true }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('gzips large JSON for clients that accept gzip, and the JSON survives', async () => {
    const answer = await rawGet(port, '/big', 'gzip, deflate');
    expect(answer.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(answer.body).toString('utf8'))).toEqual(big);
    expect(answer.body.length).toBeLessThan(JSON.stringify(big).length / 3);
  });

  it('sends plain JSON to clients that do not accept gzip, and for small bodies', async () => {
    const plain = await rawGet(port, '/big', 'identity');
    expect(plain.encoding).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(big);
    const small = await rawGet(port, '/small', 'gzip');
    expect(small.encoding).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ ok: true });
  });
});
