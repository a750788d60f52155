import type { WireSuspect } from '../../api/wire.js';
import { KeyValueTable } from '../../components/KeyValueTable.js';
import { formatDurationMs, nsToMs } from '../../format/units.js';
import { ContainerInfo } from './ContainerInfo.js';
import type { ChartFocus } from './hover.js';
import type { TraceModel } from './model.js';
import { SpanLinks } from './SpanLinks.js';
import { SpanLogs } from './SpanLogs.js';
import { SuspectList } from './SuspectList.js';

const NO_LOGS: never[] = [];

/** Everything about the selected span: identity, status, scope, container, attributes, events, links, logs, resource. */
export function SpanDetails({ model, index, suspects, onFocus }: { model: TraceModel; index: number; suspects: readonly WireSuspect[]; onFocus: (focus: ChartFocus) => void }) {
  const row = model.rows[index];
  if (row === undefined) return <p class="muted">Select a span in the waterfall.</p>;
  const { span } = row;
  const parent = model.rows[row.parentIndex];
  return (
    <article class="span-details" aria-labelledby="span-title" data-testid="span-details">
      <h2 id="span-title">
        <span class="svc-dot" style={{ background: row.color }} aria-hidden="true" />
        {span.name}
      </h2>
      <dl class="facts">
        <dt>Service</dt>
        <dd>{span.service}</dd>
        <dt>Kind</dt>
        <dd>{span.kind}</dd>
        <dt>Status</dt>
        <dd class={row.isError ? 'error-text' : undefined}>
          {span.status.code}
          {span.status.message !== '' ? `: ${span.status.message}` : ''}
        </dd>
        <dt>Duration</dt>
        <dd>
          {formatDurationMs(row.durationMs)} starting at +{formatDurationMs(row.offsetMs)}
          {row.critical ? ' · on the critical path' : ''}
        </dd>
        <dt>Span id</dt>
        <dd class="mono">{span.spanId}</dd>
        <dt>Parent</dt>
        <dd>{parent !== undefined ? parent.span.name : row.orphan ? `${span.parentSpanId ?? ''} (not in this trace)` : '— (root)'}</dd>
        <dt>Scope</dt>
        <dd data-testid="span-scope">
          {span.scope.name === '' && span.scope.version === '' ? (
            <span class="muted">— (not sent)</span>
          ) : (
            <>
              <span class="mono">{span.scope.name === '' ? '(unnamed)' : span.scope.name}</span>
              {span.scope.version !== '' && <span class="muted"> version {span.scope.version}</span>}
            </>
          )}
        </dd>
        <dt>Trace state</dt>
        <dd data-testid="span-trace-state" class={span.traceState === '' ? 'muted' : 'mono'}>
          {span.traceState === '' ? '—' : span.traceState}
        </dd>
      </dl>
      {suspects.length > 0 && (
        <section>
          <h3>Resource suspects</h3>
          <SuspectList suspects={suspects} row={row} onFocus={onFocus} />
        </section>
      )}
      <section>
        <h3>Container</h3>
        <ContainerInfo containerId={span.containerId} container={span.containerId === null ? undefined : model.containers.get(span.containerId)} />
      </section>
      <section>
        <h3>Attributes</h3>
        <KeyValueTable entries={span.attributes} label="Attributes" />
      </section>
      <section>
        <h3>Events</h3>
        {span.events.length === 0 ? (
          <p class="muted">No events.</p>
        ) : (
          <ul class="events">
            {span.events.map((e, i) => (
              <li key={i}>
                <strong>{e.name}</strong> <span class="muted">at +{formatDurationMs(nsToMs(e.timeNs) - model.startMs)}</span>
                {Object.keys(e.attributes).length > 0 && <KeyValueTable entries={e.attributes} label="Event attributes" />}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h3>Links</h3>
        <SpanLinks links={span.links} model={model} />
      </section>
      <section>
        <h3>Logs</h3>
        <SpanLogs key={span.spanId} row={row} otlpLogs={model.logsBySpan.get(span.spanId) ?? NO_LOGS} />
      </section>
      <section>
        <h3>Resource</h3>
        <KeyValueTable entries={span.resource} label="Resource" />
      </section>
    </article>
  );
}
