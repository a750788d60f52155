import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, toApiError } from './errors.js';

describe('toApiError', () => {
  it('keeps ApiErrors and turns zod failures into bad_request', () => {
    const own = new ApiError('not_found', 'No spans of trace x.');
    expect(toApiError(own)).toBe(own);
    const zod = z.strictObject({ n: z.number() }).safeParse({ n: 'x' });
    expect(zod.success).toBe(false);
    if (!zod.success) expect(toApiError(zod.error)).toMatchObject({ code: 'bad_request', status: 400 });
  });

  it('maps body parser and http errors by type and status, never keeping their messages', () => {
    expect(toApiError(Object.assign(new Error('Unexpected token } in JSON at position 3'), { type: 'entity.parse.failed', status: 400 })))
      .toMatchObject({ code: 'bad_request', message: 'The request body is not valid JSON.' });
    expect(toApiError(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, limit: 10 })))
      .toMatchObject({ code: 'payload_too_large', status: 413, message: 'The request body is larger than 10 bytes.' });
    expect(toApiError(Object.assign(new Error('Failed to decode param'), { status: 400 })))
      .toMatchObject({ code: 'bad_request', message: 'The request is not valid.' });
    expect(toApiError(Object.assign(new Error('ENOENT /srv/ui/index.html'), { status: 404 })))
      .toMatchObject({ code: 'not_found', message: 'Not found.' });
  });

  it('treats anything else as internal', () => {
    for (const err of [new Error('connection to /data/db failed'), 'a string', null, Object.assign(new Error('x'), { status: 503 })]) {
      expect(toApiError(err)).toMatchObject({ code: 'internal', status: 500, message: 'Internal error; the collector log has the details.' });
    }
  });
});
