import { useMemo } from 'preact/hooks';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import type { WireLog } from '../../api/wire.js';
import { byTime, LogLines } from '../../components/LogLines.js';
import { ErrorView } from '../../components/States.js';
import type { SpanRow } from './model.js';

/** Container output around a span is looked up this far on each side (clocks and buffering). */
const STDOUT_MARGIN_MS = 50;
const STDOUT_LIMIT = 200;

/**
 * The span's logs in time order: its OTLP log records (they carry its span id) and the
 * stdout/stderr lines its container wrote while it ran (they carry no span id, so they are
 * matched by container and time — labelled by source so that the difference shows).
 */
export function SpanLogs({ row, otlpLogs }: { row: SpanRow; otlpLogs: readonly WireLog[] }) {
  const containerId = row.span.containerId;
  const [output, retry] = useApi(
    async (signal) => {
      if (containerId === null) return { ok: true as const, value: [] };
      const logWindow = { startMs: row.startMs - STDOUT_MARGIN_MS, endMs: row.endMs + STDOUT_MARGIN_MS };
      return api.logs({ ...logWindow, containerId, limit: STDOUT_LIMIT }, signal);
    },
    [row.span.spanId],
  );
  const logs = useMemo(() => {
    const stdout = output.state === 'ok' ? output.value.filter((l) => l.source !== 'otlp') : [];
    return [...otlpLogs, ...stdout].sort(byTime);
  }, [otlpLogs, output]);
  return (
    <>
      {output.state === 'error' && <ErrorView what="the container's output" failure={output.failure} onRetry={retry} />}
      {logs.length === 0 ? (
        <p class="muted">
          {output.state === 'loading' ? 'Loading container output…' : 'No log record of this span, and no container output while it ran.'}
        </p>
      ) : (
        <LogLines logs={logs} showTraceLinks={false} label="Logs of this span" compact />
      )}
    </>
  );
}
