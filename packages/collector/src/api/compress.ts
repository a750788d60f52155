import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

const gzipAsync = promisify(gzip);

/** Smaller bodies are not worth a gzip stream: headers and CPU would cost more than they save. */
const COMPRESS_MIN_BYTES = 1024;
/** JSON of traces compresses ~10x already at a low level; higher levels cost CPU for little. */
const GZIP_LEVEL = 3;

/**
 * Gzips JSON answers for clients that accept it: a 5,000-span trace is ~2.7 MB of JSON and
 * ~250 KB gzipped, which matters for the UI over any real network. Compression runs on the
 * libuv pool (zlib's async API), not on the event loop.
 */
export function compressJson(req: Request, res: Response, next: NextFunction): void {
  if (!req.acceptsEncodings('gzip')) {
    next();
    return;
  }
  const sendJson = res.json.bind(res);
  res.json = (body: unknown): Response => {
    const text = JSON.stringify(body);
    if (text === undefined || Buffer.byteLength(text) < COMPRESS_MIN_BYTES) return sendJson(body);
    gzipAsync(text, { level: GZIP_LEVEL, strategy: constants.Z_DEFAULT_STRATEGY }).then(
      (compressed) => {
        res.set('Content-Encoding', 'gzip');
        res.vary('Accept-Encoding');
        res.type('application/json');
        res.send(compressed);
      },
      (error: unknown) => next(error),
    );
    return res;
  };
  next();
}
