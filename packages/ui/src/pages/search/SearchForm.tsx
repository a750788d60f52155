import { useState } from 'preact/hooks';
import type { WireService } from '../../api/wire.js';
import { RangePicker } from '../../components/RangePicker.js';
import { navigate } from '../../router/location.js';
import { LIMIT_CHOICES, parseAttributeLines, searchHref, type SearchFilters } from './search-filters.js';

/**
 * The search filters. Editing changes nothing until "Search": the URL then takes the
 * filters, and the results follow the URL (so Back returns to the previous search).
 */
export function SearchForm({ initial, services }: { initial: SearchFilters; services: readonly WireService[] }) {
  const [filters, setFilters] = useState(initial);
  const [attrText, setAttrText] = useState(initial.attributes.map(([k, v]) => `${k}=${v}`).join('\n'));
  const [problem, setProblem] = useState<string | undefined>();
  const set = <K extends keyof SearchFilters>(key: K, value: SearchFilters[K]): void => setFilters({ ...filters, [key]: value });
  const serviceNames = services.map((s) => s.name);
  if (filters.service !== '' && !serviceNames.includes(filters.service)) serviceNames.push(filters.service);

  const onSubmit = (event: Event): void => {
    event.preventDefault();
    const parsed = parseAttributeLines(attrText);
    if (!parsed.ok) return setProblem(parsed.message);
    setProblem(undefined);
    navigate(searchHref({ ...filters, attributes: parsed.pairs }));
  };

  return (
    <form class="filters" onSubmit={onSubmit} aria-label="Trace search filters">
      <label>
        Service
        <select name="service" value={filters.service} onChange={(e) => set('service', e.currentTarget.value)}>
          <option value="">All services</option>
          {serviceNames.sort().map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Operation
        <input name="operation" value={filters.operation} placeholder="e.g. GET /orders" onInput={(e) => set('operation', e.currentTarget.value)} />
      </label>
      <label>
        Min duration (ms)
        <input name="minDurationMs" inputMode="decimal" size={8} value={filters.minDurationMs} onInput={(e) => set('minDurationMs', e.currentTarget.value)} />
      </label>
      <label>
        Max duration (ms)
        <input name="maxDurationMs" inputMode="decimal" size={8} value={filters.maxDurationMs} onInput={(e) => set('maxDurationMs', e.currentTarget.value)} />
      </label>
      <label>
        Status
        <select name="status" value={filters.status} onChange={(e) => set('status', statusOf(e.currentTarget.value))}>
          <option value="">Any</option>
          <option value="error">Error</option>
          <option value="ok">OK</option>
        </select>
      </label>
      <RangePicker value={filters.range} onChange={(range) => set('range', range)} />
      <label class="wide">
        Attributes (one key=value per line)
        <textarea name="attributes" rows={1} value={attrText} placeholder="http.route=/orders" onInput={(e) => setAttrText(e.currentTarget.value)} />
      </label>
      <label>
        Limit
        <select name="limit" value={filters.limit} onChange={(e) => set('limit', e.currentTarget.value)}>
          {(LIMIT_CHOICES.some((n) => n === filters.limit) ? LIMIT_CHOICES : [...LIMIT_CHOICES, filters.limit]).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary">
        Search
      </button>
      {problem !== undefined && (
        <p class="form-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function statusOf(value: string): SearchFilters['status'] {
  return value === 'error' || value === 'ok' ? value : '';
}
