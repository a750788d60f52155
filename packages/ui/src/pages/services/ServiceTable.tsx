import type { WireService } from '../../api/wire.js';
import { serviceColor } from '../../format/service-colors.js';
import { formatDurationMs } from '../../format/units.js';
import { Link } from '../../router/Link.js';

/** Per service: spans, errors, error rate and latency percentiles; the name opens its search, "metrics" its metrics. */
export function ServiceTable({ services, searchHref, metricsHref }: {
  services: readonly WireService[];
  searchHref: (service: string) => string;
  metricsHref: (service: string) => string;
}) {
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <table class="list" aria-label="Services" data-testid="services-table">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col" class="num">Spans</th>
          <th scope="col" class="num">Errors</th>
          <th scope="col" class="num">Error rate</th>
          <th scope="col" class="num">p50</th>
          <th scope="col" class="num">p95</th>
          <th scope="col" class="num">p99</th>
          <th scope="col">
            <span class="visually-hidden">Metrics</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => {
          const rate = s.spanCount > 0 ? (s.errorCount / s.spanCount) * 100 : 0;
          return (
            <tr key={s.name}>
              <td>
                <Link to={searchHref(s.name)}>
                  <span class="svc-dot" style={{ background: serviceColor(s.name) }} aria-hidden="true" />
                  {s.name}
                </Link>
              </td>
              <td class="num">{s.spanCount}</td>
              <td class="num">{s.errorCount}</td>
              <td class={rate > 0 ? 'num error-text' : 'num'}>{rate.toFixed(1)} %</td>
              <td class="num">{formatDurationMs(s.p50Ms)}</td>
              <td class="num">{formatDurationMs(s.p95Ms)}</td>
              <td class="num">{formatDurationMs(s.p99Ms)}</td>
              <td>
                <Link to={metricsHref(s.name)} title={`Metrics of ${s.name}`}>
                  metrics
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
