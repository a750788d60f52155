/**
 * Figures in prose that cannot go stale: bench/analysis.md writes a placeholder where a number
 * from a result file belongs, and run.mjs fills each one from the same result files as the
 * tables when it renders BENCHMARKS.md. A placeholder is the bench's name and the figure's id
 * as the result file carries them (lib/report.mjs), in double braces:
 *
 *   {{ingest.proto.e2e}}          the figure's median, formatted as the tables show it
 *   {{ingest.proto.e2e:min}}      its min (also :max and :median)
 *   {{peers.ratio.jaeger:range}}  "min–max" (one value when they are equal)
 *   {{query:date}}                the UTC day the bench's result file was measured
 *
 * The bench is the part before the first dot (bench names have none); the figure id is the
 * rest, dots and slashes included. A placeholder whose bench or figure is not in the result
 * files is rendered as "(not measured)" and listed in `missing` with the reason, so that an
 * old number never stands in for a new one.
 *
 * @example
 *   const { text, missing } = fillPlaceholders('{{decode.json/proto}}× as fast', results);
 */
import { formatNumber } from './markdown.mjs';

export const NOT_MEASURED = '(not measured)';

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const FIGURE_STATS = new Set(['median', 'min', 'max', 'range']);

/** The text of one placeholder, or { reason } when it cannot be filled. */
function resolve(key, results) {
  const [path = '', stat, ...rest] = key.trim().split(':');
  if (rest.length > 0 || path === '' || /\s/.test(path)) return { reason: 'is not a placeholder of the form bench.figure[:stat]' };
  const dot = path.indexOf('.');
  const bench = dot < 0 ? path : path.slice(0, dot);
  const result = results.get(bench);
  if (dot < 0) {
    if (stat !== 'date') return { reason: 'names a bench without a figure (only :date takes a bench alone)' };
    return result === undefined ? { reason: `has no result file (${bench}.json)` } : { text: result.startedAt.slice(0, 10) };
  }
  const wanted = stat ?? 'median';
  if (!FIGURE_STATS.has(wanted)) return { reason: `asks for :${wanted} (known: ${[...FIGURE_STATS].join(', ')})` };
  if (result === undefined) return { reason: `has no result file (${bench}.json)` };
  const id = path.slice(dot + 1);
  const entry = result.entries.find((candidate) => candidate.id === id);
  if (entry === undefined) return { reason: `names no figure of ${bench}.json` };
  const format = (value) => formatNumber(value, entry.digits);
  if (wanted !== 'range') return { text: format(entry[wanted]) };
  return { text: entry.min === entry.max ? format(entry.min) : `${format(entry.min)}–${format(entry.max)}` };
}

/**
 * @param text markdown with placeholders
 * @param results Map of bench name → parsed result file (as run.mjs reads them)
 * @returns { text, missing: [{ placeholder, reason }] } — every placeholder filled, or "(not measured)"
 */
export function fillPlaceholders(text, results) {
  const missing = [];
  const filled = text.replace(PLACEHOLDER, (whole, key) => {
    const resolved = resolve(key, results);
    if (resolved.text !== undefined) return resolved.text;
    missing.push({ placeholder: whole, reason: resolved.reason });
    return NOT_MEASURED;
  });
  return { text: filled, missing };
}
