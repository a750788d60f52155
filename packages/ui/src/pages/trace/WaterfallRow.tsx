import type { WireSuspect } from '../../api/wire.js';
import { formatDurationMs } from '../../format/units.js';
import type { SpanRow } from './model.js';

export const ROW_PX = 24;
const INDENT_PX = 14;
/** Deeper spans keep this indentation: the label column must still show a name. */
const INDENT_LEVELS_MAX = 20;

interface Props {
  row: SpanRow;
  index: number;
  /** Position among the rows shown, for layout. */
  position: number;
  traceDurationMs: number;
  selected: boolean;
  collapsed: boolean;
  /** The pointer is on a chart at a time this span ran, in its container. */
  timeMatch: boolean;
  hovered: boolean;
  suspects: readonly WireSuspect[];
  onSelect: (index: number) => void;
  onToggle: (index: number) => void;
  onHover: (index: number | undefined) => void;
}

export function rowDomId(index: number): string {
  return `span-row-${index}`;
}

/** One span of the waterfall: label (indented by depth) and its bar on the shared axis. */
export function WaterfallRow(p: Props) {
  const { row, index, traceDurationMs: total } = p;
  const startRatio = total > 0 ? row.offsetMs / total : 0;
  const widthRatio = total > 0 ? row.durationMs / total : 1;
  const endRatio = startRatio + widthRatio;
  const classes = ['wf-row', p.selected && 'selected', p.hovered && 'hovered', p.timeMatch && 'time-match', row.isError && 'error']
    .filter(Boolean)
    .join(' ');
  const hasChildren = row.childCount > 0;
  const suspectText = p.suspects.map((s) => s.message).join('\n');
  return (
    <div
      id={rowDomId(index)}
      class={classes}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={p.selected}
      aria-expanded={hasChildren ? !p.collapsed : undefined}
      data-testid="waterfall-row"
      data-span-id={row.span.spanId}
      data-depth={row.depth}
      style={{ top: `${p.position * ROW_PX}px`, height: `${ROW_PX}px` }}
      onClick={() => p.onSelect(index)}
      onMouseEnter={() => p.onHover(index)}
      onMouseLeave={() => p.onHover(undefined)}
    >
      <div class="wf-label" style={{ paddingLeft: `${Math.min(row.depth, INDENT_LEVELS_MAX) * INDENT_PX}px` }}>
        {hasChildren ? (
          <button
            type="button"
            class="wf-toggle"
            tabIndex={-1}
            aria-label={p.collapsed ? `Expand ${row.childCount} children` : 'Collapse children'}
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle(index);
            }}
          >
            {p.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span class="wf-toggle-space" />
        )}
        <span class="svc-dot" style={{ background: row.color }} aria-hidden="true" />
        <span class="wf-service">{row.span.service}</span>
        <span class="wf-name">{row.span.name}</span>
        {row.isError && (
          <span class="badge badge-error" title={row.span.status.message || 'status ERROR'}>
            error
          </span>
        )}
        {p.suspects.length > 0 && (
          <span class="badge badge-suspect" title={suspectText} data-testid="suspect-badge">
            ⚠ {p.suspects.length === 1 ? 'suspect' : `${p.suspects.length} suspects`}
          </span>
        )}
        {p.collapsed && <span class="muted"> (+{row.subtreeEnd - index - 1})</span>}
      </div>
      <div class="wf-track">
        <div
          class={row.critical ? 'wf-bar critical' : 'wf-bar'}
          style={{ left: `${startRatio * 100}%`, width: `${widthRatio * 100}%`, background: row.color }}
        />
        {/* After the bar: the track leaves room on its right for the label of a bar that ends last. */}
        <span class="wf-duration" style={{ left: `${Math.min(1, endRatio) * 100}%` }}>
          {formatDurationMs(row.durationMs)}
        </span>
      </div>
    </div>
  );
}
