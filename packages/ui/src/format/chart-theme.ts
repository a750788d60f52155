/** Colours for canvas drawing (chart.js cannot read CSS variables), from the active theme (styles.css). */
export interface ChartTheme {
  text: string;
  grid: string;
  error: string;
  limit: string;
  shade: string;
  highlight: string;
  marker: string;
  /** A suspect's evidence point. */
  focus: string;
  series: readonly string[];
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function chartTheme(): ChartTheme {
  return {
    text: cssVar('--fg-muted', '#666'),
    grid: cssVar('--grid', 'rgba(128,128,128,0.2)'),
    error: cssVar('--error', '#d62728'),
    limit: cssVar('--limit', '#d62728'),
    shade: cssVar('--shade', 'rgba(78,121,167,0.15)'),
    highlight: cssVar('--highlight', 'rgba(242,142,43,0.35)'),
    marker: cssVar('--marker', '#b07aa1'),
    focus: cssVar('--focus-marker', '#e15759'),
    series: [cssVar('--series-1', '#4e79a7'), cssVar('--series-2', '#f28e2b')],
  };
}
