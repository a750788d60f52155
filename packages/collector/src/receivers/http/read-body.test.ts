import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { createGzip, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentEncodingOf, wireEncodingOf } from './media.js';
import { readBody } from './read-body.js';

const LIMIT = 64 * 1024;

function chunked(bytes: Buffer, chunkBytes = 4096): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) chunks.push(bytes.subarray(i, i + chunkBytes));
  return Readable.from(chunks, { objectMode: false });
}

/** Zeros gzipped by streaming, so the test never holds them inflated. */
async function gzipOfZeros(inflatedBytes: number): Promise<Buffer> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < inflatedBytes; written += zeros.length) {
    if (!gzip.write(zeros)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(chunks);
}

describe('readBody', () => {
  it('returns a plain body whole', async () => {
    const body = Buffer.alloc(LIMIT, 7);
    expect(await readBody(chunked(body), 'identity', LIMIT)).toEqual({ ok: true, body });
  });

  it('refuses a plain body one byte over the limit', async () => {
    const result = await readBody(chunked(Buffer.alloc(LIMIT + 1)), 'identity', LIMIT);
    expect(result).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('inflates gzip and deflate bodies', async () => {
    const body = Buffer.from('{"resourceSpans":[]}');
    expect(await readBody(chunked(gzipSync(body)), 'gzip', LIMIT)).toEqual({ ok: true, body });
    expect(await readBody(chunked(deflateSync(body)), 'deflate', LIMIT)).toEqual({ ok: true, body });
  });

  it('stops inflating a gzip bomb right after the limit, long before its end', async () => {
    const bomb = await gzipOfZeros(512 * 1024 * 1024); // ~512 KiB on the wire
    // A small buffer on the source, as on a socket; the inflater's own input buffer stays.
    const source = new PassThrough({ highWaterMark: 1024 });
    let settled = false;
    const result = readBody(source, 'gzip', LIMIT).finally(() => {
      settled = true;
    });
    let pulledBytes = 0;
    // Written with back-pressure, as a socket would deliver it: only what the reader takes.
    for (let i = 0; i < bomb.length && !settled; i += 1024) {
      pulledBytes += 1024;
      if (!source.write(bomb.subarray(i, i + 1024))) await Promise.race([once(source, 'drain'), result]);
    }
    expect(await result).toMatchObject({ ok: false, reason: 'too_large', message: expect.stringContaining('decompressed') });
    expect(pulledBytes).toBeLessThan(bomb.length / 2);
  });

  it('reports a corrupt gzip stream, and a truncated one', async () => {
    const garbage = await readBody(chunked(Buffer.from('not gzip at all')), 'gzip', LIMIT);
    expect(garbage).toMatchObject({ ok: false, reason: 'bad_compression' });
    const whole = gzipSync(Buffer.alloc(10_000, 1));
    const truncated = await readBody(chunked(whole.subarray(0, whole.length - 10)), 'gzip', LIMIT);
    expect(truncated).toMatchObject({ ok: false, reason: 'bad_compression' });
  });

  it('reports an upload that breaks off', async () => {
    const source = new PassThrough();
    const result = readBody(source, 'identity', LIMIT);
    source.write(Buffer.alloc(100));
    source.destroy(new Error('ECONNRESET'));
    expect(await result).toMatchObject({ ok: false, reason: 'aborted' });
  });
});

describe('media types', () => {
  it('reads the OTLP encodings, parameters and case aside', () => {
    expect(wireEncodingOf('application/x-protobuf')).toBe('proto');
    expect(wireEncodingOf('Application/JSON; charset=utf-8')).toBe('json');
    expect(wireEncodingOf('text/plain')).toBeUndefined();
    expect(wireEncodingOf(undefined)).toBeUndefined();
  });

  it('accepts one known compression, never stacked ones', () => {
    expect(contentEncodingOf(undefined)).toBe('identity');
    expect(contentEncodingOf('GZIP')).toBe('gzip');
    expect(contentEncodingOf('deflate')).toBe('deflate');
    expect(contentEncodingOf('gzip, gzip')).toBeUndefined();
    expect(contentEncodingOf('br')).toBeUndefined();
  });
});
