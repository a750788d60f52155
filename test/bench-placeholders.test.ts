/**
 * bench/analysis.md writes its bench figures as placeholders that bench/run.mjs fills from the
 * result files when it renders BENCHMARKS.md (bench/lib/placeholders.mjs): a figure that is
 * there renders as the tables format it, one that is not renders as "(not measured)", never
 * as an old number. No bench runs here: the result files are fixtures.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { NOT_MEASURED, fillPlaceholders, type BenchResult } from '../bench/lib/placeholders.mjs';

const REPO_ROOT = new URL('..', import.meta.url).pathname;

const stores: BenchResult = {
  bench: 'stores',
  startedAt: '2026-12-06T21:14:15.024Z',
  entries: [
    { id: 'duckdb.byIdP50', min: 4.2, median: 4.597953, max: 5.1, digits: 2 },
    { id: 'duckdb.rate', min: 64671.98, median: 64671.98, max: 64671.98 },
    { id: 'ratio.byId', min: 3.628039, median: 3.628039, max: 3.628039, digits: 2 },
  ],
};
const results = new Map([['stores', stores]]);

describe('analysis.md placeholders', () => {
  it('fill a figure that is in the result files, as the tables format it', () => {
    const { text, missing } = fillPlaceholders(
      'DuckDB by id {{stores.duckdb.byIdP50}} ms ({{stores.duckdb.byIdP50:range}}, min {{stores.duckdb.byIdP50:min}}), ' +
        '{{stores.duckdb.rate}} rows/s in {{stores.duckdb.rate:range}}, ClickHouse {{ stores.ratio.byId }}× slower, measured {{stores:date}}',
      results,
    );
    expect(text).toBe('DuckDB by id 4.60 ms (4.20–5.10, min 4.20), 64,672 rows/s in 64,672, ClickHouse 3.63× slower, measured 2026-12-06');
    expect(missing).toEqual([]);
  });

  it('render a figure that is not there as "(not measured)", and say why', () => {
    const { text, missing } = fillPlaceholders('ClickHouse {{stores.clickhouse.byIdP50}} ms; 10M {{query.10M.traceById.p99}} ms on {{query:date}}', results);
    expect(text).toBe(`ClickHouse ${NOT_MEASURED} ms; 10M ${NOT_MEASURED} ms on ${NOT_MEASURED}`);
    expect(NOT_MEASURED).toBe('(not measured)');
    expect(missing).toEqual([
      { placeholder: '{{stores.clickhouse.byIdP50}}', reason: 'names no figure of stores.json' },
      { placeholder: '{{query.10M.traceById.p99}}', reason: 'has no result file (query.json)' },
      { placeholder: '{{query:date}}', reason: 'has no result file (query.json)' },
    ]);
  });

  it('do not guess at a malformed placeholder', () => {
    const { text, missing } = fillPlaceholders('{{stores.duckdb.byIdP50:p99}} {{stores}} {{}}', results);
    expect(text).toBe(`${NOT_MEASURED} ${NOT_MEASURED} ${NOT_MEASURED}`);
    expect(missing.map((m) => m.reason)).toEqual([
      expect.stringContaining('asks for :p99'),
      expect.stringContaining('names a bench without a figure'),
      expect.stringContaining('is not a placeholder'),
    ]);
  });

  it('bench/analysis.md: every placeholder is well formed and names a bench script', async () => {
    const analysis = await readFile(`${REPO_ROOT}bench/analysis.md`, 'utf8');
    const { text, missing } = fillPlaceholders(analysis, new Map());
    expect(missing.length).toBeGreaterThan(0);
    expect(text).not.toContain('{{');
    for (const { placeholder, reason } of missing) {
      const bench = /^has no result file \((.+)\.json\)$/.exec(reason)?.[1];
      expect(bench, `${placeholder} ${reason}`).toBeDefined();
      expect(existsSync(`${REPO_ROOT}bench/${bench}.mjs`), `${placeholder}: no bench/${bench}.mjs`).toBe(true);
    }
  });
});
