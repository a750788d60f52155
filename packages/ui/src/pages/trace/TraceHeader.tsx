import { serviceColor } from '../../format/service-colors.js';
import { formatDateTime, formatDurationMs } from '../../format/units.js';
import { href } from '../../router/location.js';
import { Link } from '../../router/Link.js';
import type { TraceModel } from './model.js';

/** The trace at a glance: root operation, when, how long, how many spans and errors, services. */
export function TraceHeader({ model, suspectCount }: { model: TraceModel; suspectCount: number }) {
  const root = model.rows[0];
  return (
    <header class="trace-header">
      <h1 id="trace-title">
        {root === undefined ? 'Trace' : `${root.span.service}: ${root.span.name}`} <span class="muted mono small">{model.traceId}</span>
      </h1>
      <p class="trace-facts">
        <span>{formatDateTime(model.startMs)}</span>
        <span>{formatDurationMs(model.durationMs)}</span>
        <span>
          {model.rows.length} span{model.rows.length === 1 ? '' : 's'}
        </span>
        <span class={model.errorCount > 0 ? 'error-text' : undefined}>
          {model.errorCount} error{model.errorCount === 1 ? '' : 's'}
        </span>
        {suspectCount > 0 && <span class="badge badge-suspect">⚠ {suspectCount} resource suspect{suspectCount === 1 ? '' : 's'}</span>}
        <Link to={href('/logs', { traceId: model.traceId, range: '24h' })}>Logs of this trace</Link>
      </p>
      <p class="legend" aria-label="Services">
        {model.services.map((s) => (
          <Link key={s} to={href('/search', { service: s })} class="svc-tag" style={{ borderColor: serviceColor(s) }}>
            <span class="svc-dot" style={{ background: serviceColor(s) }} aria-hidden="true" />
            {s}
          </Link>
        ))}
        <span class="legend-item">
          <span class="wf-bar-sample critical" aria-hidden="true" /> critical path
        </span>
      </p>
    </header>
  );
}
