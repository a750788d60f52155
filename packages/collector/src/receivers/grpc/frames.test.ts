import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeGrpcMessage, frameMessage, GRPC_STATUS, messageEncodingOf, unaryMessage } from './frames.js';

function compressedFrame(payload: Buffer): Buffer {
  const frame = frameMessage(payload);
  frame[0] = 1;
  return frame;
}

describe('gRPC message framing', () => {
  it('frames a message with its length and reads it back', async () => {
    const payload = Buffer.from('otlp bytes');
    const frame = frameMessage(payload);
    expect([...frame.subarray(0, 5)]).toEqual([0, 0, 0, 0, payload.length]);
    const read = await unaryMessage(frame, 'identity', 1024);
    expect(read.ok && Buffer.from(read.payload).toString()).toBe('otlp bytes');
  });

  it('inflates a gzip message, and refuses one that inflates past the limit', async () => {
    const payload = Buffer.alloc(10_000, 'a');
    const ok = await unaryMessage(compressedFrame(gzipSync(payload)), 'gzip', 10_000);
    expect(ok.ok && ok.payload.byteLength).toBe(10_000);
    const bomb = await unaryMessage(compressedFrame(gzipSync(payload)), 'gzip', 9_999);
    expect(bomb).toEqual({ ok: false, reason: 'too_large', status: GRPC_STATUS.RESOURCE_EXHAUSTED, message: 'the decompressed message is larger than 9999 bytes' });
  });

  it('names what is wrong with a request that is not one message', async () => {
    const short = await unaryMessage(Buffer.from([0, 0]), 'identity', 1024);
    expect(short).toMatchObject({ ok: false, reason: 'invalid', status: GRPC_STATUS.INVALID_ARGUMENT });
    const two = Buffer.concat([frameMessage(Buffer.from('a')), frameMessage(Buffer.from('b'))]);
    const read = await unaryMessage(two, 'identity', 1024);
    expect(read.ok === false && read.message).toBe('a unary request holds exactly one message: its prefix says 1 bytes, the request carried 7');
    const flagged = await unaryMessage(compressedFrame(Buffer.from('x')), 'identity', 1024);
    expect(flagged).toMatchObject({ ok: false, reason: 'bad_compression', status: GRPC_STATUS.INTERNAL });
    const corrupt = await unaryMessage(compressedFrame(Buffer.from('not gzip')), 'gzip', 1024);
    expect(corrupt).toMatchObject({ ok: false, reason: 'bad_compression', message: expect.stringMatching(/^the gzip message could not be inflated: /) });
  });

  it('percent-encodes grpc-message outside printable ASCII and "%"', () => {
    expect(encodeGrpcMessage('span 3: 100% bad\nnext é')).toBe('span 3: 100%25 bad%0Anext %C3%A9');
  });

  it('reads grpc-encoding, identity when absent, undefined when unsupported', () => {
    expect(messageEncodingOf(undefined)).toBe('identity');
    expect(messageEncodingOf('GZIP')).toBe('gzip');
    expect(messageEncodingOf('snappy')).toBeUndefined();
  });
});
