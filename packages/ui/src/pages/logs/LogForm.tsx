import { useState } from 'preact/hooks';
import type { WireContainer, WireService } from '../../api/wire.js';
import { RangePicker } from '../../components/RangePicker.js';
import { navigate } from '../../router/location.js';
import { LOG_LIMITS, logsHref, SEVERITIES, type LogFilters } from './log-filters.js';

/** The log filters; "Search" puts them in the URL, which the results follow. */
export function LogForm({ initial, services, containers }: { initial: LogFilters; services: readonly WireService[]; containers: readonly WireContainer[] }) {
  const [f, setF] = useState(initial);
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]): void => setF({ ...f, [key]: value });
  const serviceNames = services.map((s) => s.name);
  if (f.service !== '' && !serviceNames.includes(f.service)) serviceNames.push(f.service);
  const knownContainer = f.containerId === '' || containers.some((c) => c.id === f.containerId);
  return (
    <form class="filters" aria-label="Log search filters" onSubmit={(e) => { e.preventDefault(); navigate(logsHref(f)); }}>
      <label>
        Service
        <select name="service" value={f.service} onChange={(e) => set('service', e.currentTarget.value)}>
          <option value="">All services</option>
          {serviceNames.sort().map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </label>
      <label>
        Container
        <select name="containerId" value={f.containerId} onChange={(e) => set('containerId', e.currentTarget.value)}>
          <option value="">All containers</option>
          {!knownContainer && <option value={f.containerId}>{f.containerId.slice(0, 12)}</option>}
          {containers.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
      </label>
      <label>
        Minimum severity
        <select name="severity" value={f.severity} onChange={(e) => set('severity', e.currentTarget.value)}>
          <option value="">Any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Text
        <input name="q" value={f.q} placeholder="contains…" onInput={(e) => set('q', e.currentTarget.value)} />
      </label>
      <label>
        Trace id
        <input name="traceId" class="mono" size={34} value={f.traceId} onInput={(e) => set('traceId', e.currentTarget.value.trim())} />
      </label>
      <RangePicker value={f.range} onChange={(range) => set('range', range)} />
      <label>
        Limit
        <select name="limit" value={f.limit} onChange={(e) => set('limit', e.currentTarget.value)}>
          {(LOG_LIMITS.some((n) => n === f.limit) ? LOG_LIMITS : [...LOG_LIMITS, f.limit]).map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary">Search</button>
    </form>
  );
}
