/**
 * Reads samples out of Prometheus text exposition (the collector's GET /metrics).
 *
 *   const samples = parsePrometheus(await (await fetch(`${ui}/metrics`)).text());
 *   sumOf(samples, 'tracedock_rows_stored_total', { signal: 'spans' }) // 123400
 */

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** @returns {{ name: string, labels: Record<string, string>, value: number }[]} */
export function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of every sample of `name` whose labels include all of `labels`. */
export function sumOf(samples, name, labels = {}) {
  let total = 0;
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) total += sample.value;
  }
  return total;
}

/** GET {uiUrl}/metrics, parsed; throws on a non-200 answer. */
export async function scrape(uiUrl) {
  const response = await fetch(`${uiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text.slice(0, 200)}`);
  return parsePrometheus(text);
}
