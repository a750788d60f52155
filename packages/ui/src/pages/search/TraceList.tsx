import type { WireTraceSummary } from '../../api/wire.js';
import { serviceColor } from '../../format/service-colors.js';
import { formatDateTime, formatDurationMs, nsToMs, shortId } from '../../format/units.js';
import { Link } from '../../router/Link.js';

/** The search results: one row per trace, the operation links to the trace. */
export function TraceList({ traces }: { traces: readonly WireTraceSummary[] }) {
  return (
    <table class="list" aria-label="Traces">
      <thead>
        <tr>
          <th scope="col">Trace</th>
          <th scope="col">Start</th>
          <th scope="col" class="num">Duration</th>
          <th scope="col" class="num">Spans</th>
          <th scope="col" class="num">Errors</th>
          <th scope="col">Services</th>
        </tr>
      </thead>
      <tbody>
        {traces.map((t) => (
          <tr key={t.traceId} class={t.errorCount > 0 ? 'has-error' : undefined}>
            <td>
              <Link to={`/traces/${t.traceId}`} class="trace-link">
                <span class="svc-dot" style={{ background: serviceColor(t.rootService) }} aria-hidden="true" />
                {t.rootService}: {t.rootName}
              </Link>{' '}
              <span class="muted mono">{shortId(t.traceId)}</span>
            </td>
            <td class="mono">{formatDateTime(nsToMs(t.startNs))}</td>
            <td class="num">{formatDurationMs(t.durationMs)}</td>
            <td class="num">{t.spanCount}</td>
            <td class="num">{t.errorCount > 0 ? <span class="error-text">{t.errorCount}</span> : '0'}</td>
            <td>
              {t.services.map((s) => (
                <span key={s} class="svc-tag" style={{ borderColor: serviceColor(s) }}>
                  {s}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
