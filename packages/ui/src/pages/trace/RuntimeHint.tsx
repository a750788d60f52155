import type { TraceModel } from './model.js';
import { RUNTIME_SERVICES_MAX } from './useRuntimeCatalog.js';

/** One line when no service of the trace reports runtime metrics (no empty chart boxes). */
export function RuntimeHint({ model, plans }: { model: TraceModel; plans: ReadonlyMap<string, readonly unknown[]> }) {
  const silent = model.services.filter((s) => plans.has(s) && (plans.get(s)?.length ?? 0) === 0);
  const skipped = model.services.length - Math.min(model.services.length, RUNTIME_SERVICES_MAX);
  if (silent.length === 0 && skipped === 0) return null;
  return (
    <p class="muted runtime-hint" data-testid="runtime-hint">
      {silent.length > 0 && (
        <>
          No runtime metrics (event-loop delay, heap, GC) from {silent.join(', ')}: add{' '}
          <code>@opentelemetry/instrumentation-runtime-node</code> and an OTLP metrics exporter to see them here.
        </>
      )}
      {skipped > 0 && ` Runtime charts are shown for the first ${RUNTIME_SERVICES_MAX} services of the trace only.`}
    </p>
  );
}
