import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WireSuspect } from '../../api/wire.js';
import { formatDurationMs } from '../../format/units.js';
import type { HoverState } from './hover.js';
import type { TraceModel } from './model.js';
import { tickValuesMs } from './ticks.js';
import { rowWindow, visibleRows } from './visible-rows.js';
import { keyAction } from './waterfall-keys.js';
import { ROW_PX, rowDomId, WaterfallRow } from './WaterfallRow.js';

/** Rows rendered above and below the viewport, so that fast scrolling shows no gaps. */
const OVERSCAN_ROWS = 12;
const FALLBACK_VIEWPORT_PX = 480;
const TICK_TARGET = 6;
const NO_SUSPECTS: readonly WireSuspect[] = [];

/** A tick line in the body lines up with the axis: past the label column, across the track. */
function gridLeft(ratio: number): string {
  return `calc(var(--wf-label-w) + (100% - var(--wf-label-w) - var(--wf-track-pad)) * ${ratio})`;
}

interface Props {
  model: TraceModel;
  selected: number;
  onSelect: (index: number) => void;
  hover: HoverState;
  onHoverSpan: (index: number | undefined) => void;
  suspectsBySpan: ReadonlyMap<string, WireSuspect[]>;
}

/**
 * The trace waterfall: a tree of spans on a shared time axis. Only the rows in (and near)
 * the viewport are in the DOM, so a 5,000-span trace costs the same to draw as a 50-span
 * one; the layout (order, depth, offsets) was computed once by buildTraceModel.
 * Keyboard: ↑/↓ move, ←/→ collapse/expand or go to parent/child, Home/End, Enter toggles.
 */
export function Waterfall({ model, selected, onSelect, hover, onHoverSpan, suspectsBySpan }: Props) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const [scrollTopPx, setScrollTopPx] = useState(0);
  const [viewportPx, setViewportPx] = useState(FALLBACK_VIEWPORT_PX);
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => visibleRows(model.rows, collapsed), [model, collapsed]);
  const positionOf = useMemo(() => new Map(shown.map((index, position) => [index, position])), [shown]);
  const ticks = useMemo(() => tickValuesMs(model.durationMs, TICK_TARGET), [model]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element === null) return;
    setViewportPx(element.clientHeight || FALLBACK_VIEWPORT_PX);
    const observer = new ResizeObserver(() => setViewportPx(element.clientHeight || FALLBACK_VIEWPORT_PX));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Marks for bench/ui-render.mjs: rows in the DOM, then (two frames on) on the screen.
  useEffect(() => {
    performance.mark('tracedock:waterfall-rendered');
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('tracedock:waterfall-painted')));
  }, [model]);

  // The selected row stays in view when the keyboard (or a link) moves the selection.
  useEffect(() => {
    const element = scrollRef.current;
    const position = positionOf.get(selected);
    if (element === null || position === undefined) return;
    const topPx = position * ROW_PX;
    if (topPx < element.scrollTop) element.scrollTop = topPx;
    else if (topPx + ROW_PX > element.scrollTop + element.clientHeight) element.scrollTop = topPx + ROW_PX - element.clientHeight;
  }, [selected, positionOf]);

  const toggle = (index: number): void => {
    const next = new Set(collapsed);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    setCollapsed(next);
    // A selection inside the subtree just hidden moves up to the row that hid it.
    const row = model.rows[index];
    if (row !== undefined && next.has(index) && selected > index && selected < row.subtreeEnd) onSelect(index);
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const pageRows = Math.max(1, Math.floor(viewportPx / ROW_PX) - 1);
    const action = keyAction(event.key, { rows: model.rows, shown, position: positionOf.get(selected) ?? 0, selected, collapsed, pageRows });
    if (action === undefined) return;
    event.preventDefault();
    if ('toggle' in action) toggle(action.toggle);
    else if ('select' in action) onSelect(action.select);
  };

  const { first, last } = rowWindow(shown.length, scrollTopPx, viewportPx, ROW_PX, OVERSCAN_ROWS);
  // Rows are keyed by slot (position modulo the rows a window can hold), not by span: a
  // scroll then patches the same DOM nodes with other spans instead of replacing them all.
  const slots = Math.max(last - first, Math.ceil(viewportPx / ROW_PX) + 2 * OVERSCAN_ROWS + 2);
  const onScroll = (event: Event): void => {
    if (event.currentTarget instanceof HTMLElement) setScrollTopPx(event.currentTarget.scrollTop);
  };
  const timeMatches = (index: number): boolean => {
    const row = model.rows[index];
    if (row === undefined || hover.timeMs === undefined || row.span.containerId !== hover.containerId) return false;
    return row.startMs <= hover.timeMs && hover.timeMs <= row.endMs;
  };

  return (
    <div class="waterfall" data-testid="waterfall" data-span-count={model.rows.length}>
      <div class="wf-axis" aria-hidden="true">
        <div class="wf-label">Service · operation</div>
        <div class="wf-track">
          {ticks.map((t) => (
            <span key={t} class="wf-tick" style={{ left: `${model.durationMs > 0 ? (t / model.durationMs) * 100 : 0}%` }}>
              {formatDurationMs(t)}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        class="wf-scroll"
        style={{ height: `${shown.length * ROW_PX}px` }}
        role="tree"
        aria-label={`Spans of trace ${model.traceId}`}
        aria-activedescendant={rowDomId(selected)}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
      >
        <div class="wf-canvas" style={{ height: `${shown.length * ROW_PX}px` }}>
          {ticks.map((t) => (
            <span key={t} class="wf-grid" style={{ left: gridLeft(model.durationMs > 0 ? t / model.durationMs : 0) }} aria-hidden="true" />
          ))}
          {shown.slice(first, last).map((index, offset) => {
            const row = model.rows[index];
            if (row === undefined) return null;
            return (
              <WaterfallRow
                key={(first + offset) % slots}
                row={row}
                index={index}
                position={first + offset}
                traceDurationMs={model.durationMs}
                selected={index === selected}
                collapsed={collapsed.has(index)}
                hovered={index === hover.spanIndex}
                timeMatch={timeMatches(index)}
                suspects={suspectsBySpan.get(row.span.spanId) ?? NO_SUSPECTS}
                onSelect={onSelect}
                onToggle={toggle}
                onHover={onHoverSpan}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
