import { Fragment } from 'preact';
import type { WireLog } from '../api/wire.js';
import { formatClock, formatDateTime, nsToMs } from '../format/units.js';
import { Link } from '../router/Link.js';
import { LogDetail } from './LogDetail.js';
import { hasDetails, logDetails } from './log-details.js';

/** OTLP SeverityNumber ranges (1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal). */
const SEVERITY_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const SEVERITY_RANGE = 4;
/** Time, severity, source, message; the full table adds the service, and the trace where asked. */
const COMPACT_COLUMNS = 4;

export function severityName(log: WireLog): string {
  if (log.severityText !== '') return log.severityText;
  if (log.severityNumber <= 0) return 'unset';
  return SEVERITY_NAMES[Math.min(SEVERITY_NAMES.length - 1, Math.floor((log.severityNumber - 1) / SEVERITY_RANGE))] ?? 'unset';
}

function severityClass(log: WireLog): string {
  const level = log.severityNumber === 0 ? 0 : Math.floor((log.severityNumber - 1) / SEVERITY_RANGE);
  return `sev sev-${SEVERITY_NAMES[level] ?? 'trace'}`;
}

/** A dotted name (a logger, a package) that wraps at its dots in a narrow column, not mid-word. */
function DottedName({ name }: { name: string }) {
  return (
    <>
      {name.split(/(?<=[./:])/).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}

/** ns strings compared exactly: logs within one ms keep their order. */
export function byTime(a: WireLog, b: WireLog): number {
  const d = BigInt(a.timeNs) - BigInt(b.timeNs);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * Log records as rows: time, severity, service, source (and the scope, the logger, that
 * emitted it), body (as text, whitespace kept), and a link to the record's trace where it has
 * one and the caller wants it; under a row, the record's exception and attributes where it
 * has any. `compact` (a span's logs, in a narrow panel) drops the date and the service.
 */
export function LogLines({ logs, showTraceLinks, label, compact = false }: { logs: readonly WireLog[]; showTraceLinks: boolean; label: string; compact?: boolean }) {
  const columns = (compact ? COMPACT_COLUMNS : COMPACT_COLUMNS + 1) + (showTraceLinks ? 1 : 0);
  return (
    <table class={compact ? 'list logs compact' : 'list logs'} aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Severity</th>
          {!compact && <th scope="col">Service</th>}
          <th scope="col">Source</th>
          <th scope="col">Message</th>
          {showTraceLinks && <th scope="col">Trace</th>}
        </tr>
      </thead>
      <tbody>
        {logs.map((log, i) => {
          const details = logDetails(log);
          const detailed = hasDetails(details);
          return (
            <Fragment key={`${log.timeNs}-${i}`}>
              <tr data-testid="log-line" class={detailed ? 'has-detail' : undefined}>
                <td class="mono nowrap">{compact ? formatClock(nsToMs(log.timeNs)) : formatDateTime(nsToMs(log.timeNs))}</td>
                <td>
                  <span class={severityClass(log)}>{severityName(log)}</span>
                </td>
                {!compact && <td>{log.service}</td>}
                <td class="muted">
                  {log.source}
                  {log.scope.name !== '' && (
                    <div class="log-scope mono small" title="Instrumentation scope (logger)">
                      <DottedName name={log.scope.name} />
                    </div>
                  )}
                </td>
                <td class="log-body">{log.body}</td>
                {showTraceLinks && (
                  <td>
                    {log.traceId === null ? (
                      <span class="muted">—</span>
                    ) : (
                      <Link to={log.spanId === null ? `/traces/${log.traceId}` : `/traces/${log.traceId}?span=${log.spanId}`} class="mono">
                        {log.traceId.slice(0, 8)}
                      </Link>
                    )}
                  </td>
                )}
              </tr>
              {detailed && (
                <tr class="log-detail" data-testid="log-detail">
                  <td colSpan={columns}>
                    <LogDetail details={details} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
