import { Fragment } from 'preact';
import type { WireMetricSummary } from '../../api/wire.js';
import { unitName } from '../../format/metric-units.js';
import { formatClock, formatDateTime, nsToMs } from '../../format/units.js';
import { Link } from '../../router/Link.js';

/** What a person calls the instrument: counter, up-down counter, gauge, histogram… */
export function instrumentKind(m: Pick<WireMetricSummary, 'type' | 'monotonic' | 'temporality'>): string {
  const delta = m.temporality === 'delta' ? ' (delta)' : '';
  switch (m.type) {
    case 'gauge':
      return 'gauge';
    case 'sum':
      return `${m.monotonic ? 'counter' : 'up-down counter'}${delta}`;
    case 'histogram':
      return `histogram${delta}`;
    case 'exponential_histogram':
      return `exponential histogram${delta}`;
    case 'summary':
      return 'summary';
  }
}

export function UnitText({ unit }: { unit: string }) {
  if (unit === '') return <span class="muted">—</span>;
  const name = unitName(unit);
  return (
    <>
      <code>{unit}</code>
      {name !== unit && <span class="muted small"> {name}</span>}
    </>
  );
}

/** "http.server.request.duration" may wrap after its dots rather than inside a word. */
function BreakableName({ name }: { name: string }) {
  const parts = name.split('.');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}

/** The instruments of a service, sorted by name; each opens its chart. */
export function MetricList({ metrics, selected, hrefOf }: { metrics: readonly WireMetricSummary[]; selected: string; hrefOf: (name: string) => string }) {
  const sorted = [...metrics].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <table class="list metric-list" aria-label="Metrics" data-testid="metrics-table">
      <thead>
        <tr>
          <th scope="col">Instrument</th>
          <th scope="col">Type</th>
          <th scope="col">Unit</th>
          <th scope="col" class="num">Points</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((m) => (
          <tr key={m.name} data-metric={m.name} class={m.name === selected ? 'selected' : undefined}>
            <td>
              <Link to={hrefOf(m.name)} aria-current={m.name === selected ? 'page' : undefined}>
                <BreakableName name={m.name} />
              </Link>
              {m.description !== '' && <div class="muted small metric-description">{m.description}</div>}
            </td>
            <td class="nowrap">{instrumentKind(m)}</td>
            <td class="nowrap">
              <UnitText unit={m.unit} />
            </td>
            <td class="num" title={`${m.seriesCount} series`}>
              {m.pointCount}
            </td>
            <td class="nowrap small" title={formatDateTime(nsToMs(m.lastNs))}>
              {formatClock(nsToMs(m.lastNs)).slice(0, 8)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
