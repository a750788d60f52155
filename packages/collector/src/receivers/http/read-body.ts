import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate, type Inflate, type Gunzip } from 'node:zlib';
import type { ContentEncoding } from './media.js';

/**
 * A request body, or why there is none. `too_large`: the wire bytes or the inflated bytes
 * passed the limit (reading stopped right there); `bad_compression`: the gzip/deflate
 * stream is corrupt; `aborted`: the client went away.
 */
export type BodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; reason: 'too_large' | 'bad_compression' | 'aborted'; message: string };

/** zlib output chunk: how far past the limit inflation can run before it is stopped. */
const INFLATE_CHUNK_BYTES = 64 * 1024;

function inflaterFor(encoding: Exclude<ContentEncoding, 'identity'>): Gunzip | Inflate {
  const options = { chunkSize: INFLATE_CHUNK_BYTES };
  return encoding === 'gzip' ? createGunzip(options) : createInflate(options);
}

/**
 * Reads a body with at most `maxBodyBytes` on the wire and, when compressed, at most
 * `maxBodyBytes` after inflation. Inflation is streamed and stopped as soon as the output
 * passes the limit, so a gzip bomb costs one chunk of memory, not its inflated size.
 * Never rejects.
 * @example const result = await readBody(req, 'gzip', 8 * 1024 * 1024);
 */
export function readBody(req: Readable, encoding: ContentEncoding, maxBodyBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;
    let wireEnded = false;
    const inflater = encoding === 'identity' ? undefined : inflaterFor(encoding);

    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onWire).off('end', onWireEnd).off('error', onAborted).off('close', onClose);
      if (inflater !== undefined) {
        req.unpipe(inflater);
        inflater.off('data', onBody).off('end', onBodyEnd).off('error', onBadCompression);
        inflater.destroy();
      }
      if (!result.ok) chunks.length = 0;
      resolve(result);
    };
    const tooLarge = (what: string): void =>
      settle({ ok: false, reason: 'too_large', message: `${what} is larger than ${maxBodyBytes} bytes` });
    const onBody = (chunk: Buffer): void => {
      bodyBytes += chunk.length;
      if (bodyBytes > maxBodyBytes) return tooLarge(inflater === undefined ? 'the body' : 'the decompressed body');
      chunks.push(chunk);
    };
    const onWire = (chunk: Buffer): void => {
      wireBytes += chunk.length;
      if (wireBytes > maxBodyBytes) return tooLarge('the body');
      if (inflater === undefined) onBody(chunk);
    };
    const onDone = (): void => settle({ ok: true, body: Buffer.concat(chunks, bodyBytes) });
    const onWireEnd = (): void => {
      wireEnded = true;
      if (inflater === undefined) onDone();
    };
    const onBodyEnd = (): void => onDone();
    const onAborted = (): void => settle({ ok: false, reason: 'aborted', message: 'the client aborted the upload' });
    // A connection lost mid-upload shows as 'close' before 'end' (or as an 'error').
    const onClose = (): void => {
      if (!wireEnded) onAborted();
    };
    const onBadCompression = (error: Error): void =>
      settle({ ok: false, reason: 'bad_compression', message: `the ${encoding} body is corrupt: ${error.message}` });

    req.on('data', onWire).on('end', onWireEnd).on('error', onAborted).on('close', onClose);
    if (inflater !== undefined) {
      inflater.on('data', onBody).on('end', onBodyEnd).on('error', onBadCompression);
      req.pipe(inflater);
    }
  });
}

/** How long the rest of a refused body is read and thrown away before the socket is cut. */
const LINGER_MILLIS = 2_000;

/**
 * Throws away the rest of a body the receiver answered without reading (413, 429, 415...).
 * Closing at once would make the kernel reset a connection the client is still writing to,
 * and a reset can destroy the response before the client reads it; so the rest is read
 * (never buffered) for up to LINGER_MILLIS after the response, then the socket is cut.
 */
export function discardBody(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.once('finish', () => {
    if (req.complete) return;
    // The socket outlives the request on keep-alive: its listener goes with the request,
    // or each refused request would leave one behind (MaxListenersExceededWarning).
    const socket = req.socket;
    const onClose = (): void => clearTimeout(timer);
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      if (!req.complete) socket.destroy();
    }, LINGER_MILLIS);
    timer.unref();
    req.once('end', () => {
      clearTimeout(timer);
      socket.off('close', onClose);
    });
    socket.once('close', onClose);
  });
}
