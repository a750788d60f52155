import type { WireMetricSeries } from '../../api/wire.js';
import { valueText } from '../../format/attribute-text.js';

/** A select lists this many values at most; a key with more is one to filter by on the API. */
const VALUES_MAX = 100;

/** Each attribute key of the series with its values, keys sorted, values sorted. */
export function attributeChoices(series: readonly WireMetricSeries[]): { key: string; values: string[] }[] {
  const byKey = new Map<string, Set<string>>();
  for (const s of series) {
    for (const [key, value] of Object.entries(s.attributes)) {
      const values = byKey.get(key) ?? new Set<string>();
      if (values.size < VALUES_MAX) values.add(valueText(value));
      byKey.set(key, values);
    }
  }
  return [...byKey.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, values]) => ({ key, values: [...values].sort() }));
}

/** The series whose attributes have every filtered value. */
export function filterSeries(series: readonly WireMetricSeries[], filters: Record<string, string>): WireMetricSeries[] {
  const entries = Object.entries(filters);
  return series.filter((s) =>
    entries.every(([key, value]) => {
      const actual = s.attributes[key];
      return actual !== undefined && valueText(actual) === value;
    }),
  );
}

/** One select per attribute key: all values (one line each), or only one. */
export function AttributeFilters({ series, filters, onChange }: {
  series: readonly WireMetricSeries[];
  filters: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
}) {
  const choices = attributeChoices(series);
  if (choices.length === 0) return null;
  const set = (key: string, value: string): void => {
    const next = { ...filters };
    if (value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <div class="filters attribute-filters" role="group" aria-label="Filter by attribute">
      {choices.map(({ key, values }) => (
        <label key={key}>
          {key}
          <select value={filters[key] ?? ''} onChange={(e) => set(key, e.currentTarget.value)}>
            <option value="">all ({values.length})</option>
            {values.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
}
