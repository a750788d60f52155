import type { ComponentChildren } from 'preact';
import { rangeParams, type RangeChoice } from '../format/time-range.js';
import { href, navigate } from '../router/location.js';
import { RangePicker } from './RangePicker.js';

/**
 * A page's time range control that applies at once: the URL takes the range (with the
 * page's other parameters kept), and "Refresh" asks again for a relative range ending now.
 */
export function RangeBar({ path, params, range, onRefresh, children }: {
  path: string;
  params: Record<string, string | undefined>;
  range: RangeChoice;
  onRefresh: () => void;
  children?: ComponentChildren;
}) {
  return (
    <form class="filters" onSubmit={(e) => { e.preventDefault(); onRefresh(); }} aria-label="Time range">
      <RangePicker value={range} onChange={(next) => navigate(href(path, { ...params, ...rangeParams(next) }), { replace: true })} />
      {children}
      <button type="submit">Refresh</button>
    </form>
  );
}
