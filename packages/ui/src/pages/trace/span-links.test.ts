import { describe, expect, it } from 'vitest';
import { linkTarget } from './span-links.js';

const TRACE = 'ab'.repeat(16);
const OTHER = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('where a span link leads', () => {
  it("opens the linked trace with the linked span selected", () => {
    expect(linkTarget({ traceId: OTHER, spanId: SPAN }, TRACE)).toEqual({ href: `/traces/${OTHER}?span=${SPAN}`, sameTrace: false });
  });

  it('says when the link points into the trace on screen', () => {
    expect(linkTarget({ traceId: TRACE.toUpperCase(), spanId: SPAN }, TRACE)).toEqual({ href: `/traces/${TRACE}?span=${SPAN}`, sameTrace: true });
  });

  it('opens the trace alone when the span id is not valid', () => {
    expect(linkTarget({ traceId: OTHER, spanId: '0'.repeat(16) }, TRACE)?.href).toBe(`/traces/${OTHER}`);
    expect(linkTarget({ traceId: OTHER, spanId: 'xyz' }, TRACE)?.href).toBe(`/traces/${OTHER}`);
  });

  it('leads nowhere for a trace id the trace page cannot open', () => {
    expect(linkTarget({ traceId: '0'.repeat(32), spanId: SPAN }, TRACE)).toBeUndefined();
    expect(linkTarget({ traceId: 'abc', spanId: SPAN }, TRACE)).toBeUndefined();
    expect(linkTarget({ traceId: `${OTHER}/../x`, spanId: SPAN }, TRACE)).toBeUndefined();
  });
});
