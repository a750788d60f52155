import { describe, expect, it } from 'vitest';
import { resolveRange } from '../../format/time-range.js';
import { parseAttributeLines, readSearchFilters, searchHref, toTraceSearch } from './search-filters.js';

describe('search filters in the URL', () => {
  it('round-trips every filter through the URL', () => {
    const url = '/search?service=orders&operation=GET+%2Fx&minDurationMs=5&maxDurationMs=900&status=error&attr.http.route=%2Fx&limit=100&range=custom&start=2025-01-01T00%3A00%3A00.000Z&end=1735693200000';
    const filters = readSearchFilters(new URL(url, 'http://h').searchParams);
    expect(filters).toMatchObject({ service: 'orders', operation: 'GET /x', status: 'error', attributes: [['http.route', '/x']], limit: '100' });
    expect(readSearchFilters(new URL(searchHref(filters), 'http://h').searchParams)).toEqual(filters);
    const range = resolveRange(filters.range, 0);
    expect(range).toEqual({ ok: true, window: { startMs: 1735689600000, endMs: 1735693200000 } });
  });

  it('leaves defaults out of the URL', () => {
    expect(searchHref(readSearchFilters(new URLSearchParams()))).toBe('/search');
  });

  it('says what is wrong with a filter', () => {
    const filters = readSearchFilters(new URLSearchParams('minDurationMs=10&maxDurationMs=5'));
    expect(toTraceSearch(filters, { startMs: 0, endMs: 1 })).toEqual({ ok: false, message: 'Min duration must not exceed max duration' });
    expect(parseAttributeLines('a=1\nnope')).toEqual({ ok: false, message: 'attribute filter "nope" must read key=value' });
    expect(resolveRange({ id: 'custom', start: '5', end: '1' }, 0)).toMatchObject({ ok: false });
    expect(resolveRange({ id: '2d' }, 0)).toMatchObject({ ok: false });
  });
});
