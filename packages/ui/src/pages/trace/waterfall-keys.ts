import type { SpanRow } from './model.js';

/** What a key does in the waterfall tree (WAI-ARIA tree view keys); undefined: not a tree key. */
export type KeyAction = { select: number } | { toggle: number } | { nothing: true } | undefined;

const NOTHING = { nothing: true } as const;

export interface KeyContext {
  rows: readonly SpanRow[];
  /** Row indexes shown, in order; `position` is the selected row's place among them. */
  shown: readonly number[];
  position: number;
  selected: number;
  collapsed: ReadonlySet<number>;
  pageRows: number;
}

/**
 * ↑/↓ (and PageUp/PageDown, Home/End) move the selection; → expands a collapsed row or goes
 * to its first child; ← collapses an expanded row or goes to the parent; Enter/Space toggle.
 */
export function keyAction(key: string, c: KeyContext): KeyAction {
  const row = c.rows[c.selected];
  const go = (pos: number): KeyAction => ({ select: c.shown[Math.max(0, Math.min(c.shown.length - 1, pos))] ?? 0 });
  const expandable = row !== undefined && row.childCount > 0;
  switch (key) {
    case 'ArrowDown': return go(c.position + 1);
    case 'ArrowUp': return go(c.position - 1);
    case 'PageDown': return go(c.position + c.pageRows);
    case 'PageUp': return go(c.position - c.pageRows);
    case 'Home': return go(0);
    case 'End': return go(c.shown.length - 1);
    case 'ArrowRight':
      if (!expandable) return NOTHING;
      return c.collapsed.has(c.selected) ? { toggle: c.selected } : { select: c.selected + 1 };
    case 'ArrowLeft':
      if (expandable && !c.collapsed.has(c.selected)) return { toggle: c.selected };
      return row !== undefined && row.parentIndex >= 0 ? { select: row.parentIndex } : NOTHING;
    case 'Enter':
    case ' ':
      return expandable ? { toggle: c.selected } : NOTHING;
    default:
      return undefined;
  }
}
