import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import type { Loadable } from '../../api/useApi.js';
import type { WireSuspect } from '../../api/wire.js';
import { navigate, type AppLocation } from '../../router/location.js';
import type { ChartFocus, HoverState } from './hover.js';
import type { TraceModel } from './model.js';
import { ResourcesPanel } from './ResourcesPanel.js';
import { SpanDetails } from './SpanDetails.js';
import { TraceHeader } from './TraceHeader.js';
import { Waterfall } from './Waterfall.js';

const NO_SUSPECTS: readonly WireSuspect[] = [];

/**
 * The trace page's layout and shared state: the selected span (in the URL as ?span=, so a
 * link can point at one), the pointer (span ⇄ charts) and a focused suspect point.
 */
export function TraceView({ model, suspects, location }: { model: TraceModel; suspects: Loadable<WireSuspect[]>; location: AppLocation }) {
  const spanParam = location.params.get('span');
  const selected = (spanParam === null ? undefined : model.indexById.get(spanParam)) ?? 0;
  const [hover, setHover] = useState<HoverState>({});
  const [focus, setFocus] = useState<ChartFocus | undefined>();
  const pending = useRef<HoverState | null>(null);

  const suspectsBySpan = useMemo(() => {
    const map = new Map<string, WireSuspect[]>();
    for (const s of suspects.state === 'ok' ? suspects.value : []) {
      const list = map.get(s.spanId);
      if (list === undefined) map.set(s.spanId, [s]);
      else list.push(s);
    }
    return map;
  }, [suspects]);

  const onSelect = useCallback(
    (index: number) => {
      const spanId = model.rows[index]?.span.spanId;
      if (spanId !== undefined) navigate(`/traces/${model.traceId}?span=${spanId}`, { replace: true });
    },
    [model],
  );
  // Pointer moves arrive faster than frames; one state update per frame is enough.
  const setHoverSoon = useCallback((next: HoverState) => {
    const first = pending.current === null;
    pending.current = next;
    if (first) {
      requestAnimationFrame(() => {
        if (pending.current !== null) setHover(pending.current);
        pending.current = null;
      });
    }
  }, []);
  const onHoverSpan = useCallback((index: number | undefined) => setHoverSoon(index === undefined ? {} : { spanIndex: index }), [setHoverSoon]);
  const onHoverTime = useCallback(
    (containerId: string, timeMs: number | undefined) => setHoverSoon(timeMs === undefined ? {} : { containerId, timeMs }),
    [setHoverSoon],
  );
  const selectedRow = model.rows[selected];
  const suspectCount = suspects.state === 'ok' ? suspects.value.length : 0;

  return (
    <section aria-labelledby="trace-title" class="trace-page">
      <TraceHeader model={model} suspectCount={suspectCount} />
      {suspects.state === 'error' && (
        <p class="state state-error" role="status">
          Resource suspects could not be loaded ({suspects.failure.message}); the rest of the trace is complete.
        </p>
      )}
      <div class="trace-main">
        <Waterfall model={model} selected={selected} onSelect={onSelect} hover={hover} onHoverSpan={onHoverSpan} suspectsBySpan={suspectsBySpan} />
        <SpanDetails
          model={model}
          index={selected}
          suspects={selectedRow === undefined ? NO_SUSPECTS : (suspectsBySpan.get(selectedRow.span.spanId) ?? NO_SUSPECTS)}
          onFocus={setFocus}
        />
      </div>
      <ResourcesPanel model={model} hover={hover} focus={focus} onHoverTime={onHoverTime} />
    </section>
  );
}
