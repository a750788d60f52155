/**
 * Import arrows run one way, down the pipeline: in the collector, receivers → pipeline →
 * correlate/store, and api → analysis → store, with model/ and telemetry/ under everything;
 * and no package has an import circle. Reads the source from disk, builds nothing.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/env.js';
import { importCycles, importGraph, type ImportGraph } from './support/import-graph.js';

const COLLECTOR_SRC = join(repoRoot, 'packages', 'collector', 'src');

/**
 * What each top-level directory of packages/collector/src may import besides itself. A
 * directory missing here fails the test, so a new one gets placed on purpose. Files at the
 * top (config.ts, collector.ts, …) are the composition root and shared settings, not a layer.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  model: [],
  telemetry: ['model'],
  store: ['model', 'telemetry'],
  // Retry, timeouts, drop accounting: for every layer above the store.
  lifecycle: ['store', 'model', 'telemetry'],
  // correlate implements the pipeline's Correlator hook; the pipeline never imports correlate.
  pipeline: ['lifecycle', 'store', 'model', 'telemetry'],
  correlate: ['pipeline', 'lifecycle', 'model', 'telemetry'],
  analysis: ['lifecycle', 'store', 'model', 'telemetry'],
  auth: ['pipeline', 'lifecycle', 'model', 'telemetry'],
  receivers: ['auth', 'pipeline', 'lifecycle', 'model', 'telemetry'],
  docker: ['correlate', 'pipeline', 'lifecycle', 'store', 'model', 'telemetry'],
  api: ['auth', 'analysis', 'lifecycle', 'store', 'model', 'telemetry'],
};

/** Wired together only at the top: no layer imports them. */
const COMPOSITION_ROOT = new Set(['cli.ts', 'collector.ts', 'index.ts']);

/** Tests and their helpers may reach across layers to set a scene; tsc excludes the same. */
const isTestCode = (file: string): boolean =>
  /(^|\/)([^/]+\.test\.ts|test-[^/]+\.ts)$/.test(file) || /(^|\/)testing\//.test(file);

const layerOf = (file: string): string | undefined => (file.includes('/') ? file.split('/')[0] : undefined);

/** Every production import that breaks MAY_IMPORT, as `from > to`. */
function layerViolations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    const layer = layerOf(file);
    if (layer === undefined || isTestCode(file)) continue;
    const allowed = MAY_IMPORT[layer];
    if (allowed === undefined) {
      found.push(`${file}: directory ${layer}/ has no entry in MAY_IMPORT`);
      continue;
    }
    for (const to of targets) {
      const target = layerOf(to);
      const ok = target === undefined ? !COMPOSITION_ROOT.has(to) : target === layer || allowed.includes(target);
      if (!ok) found.push(`${file} > ${to}`);
    }
  }
  return found;
}

describe('collector layering', () => {
  const graph = importGraph(COLLECTOR_SRC);

  it('reads the tree it checks', () => {
    // Guards against a moved root: an empty graph would pass every rule below.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('collector.ts')).toContain('pipeline/ingest.ts');
  });

  it('has no import from a layer to one above it', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  // Tests too: a lower layer's test that needs the API or a receiver is that layer's test.
  it('never imports receivers/ or api/ from pipeline, correlate, store, analysis or model, tests included', () => {
    const lower = new Set(['pipeline', 'correlate', 'store', 'analysis', 'model']);
    const back = [...graph].flatMap(([file, targets]) =>
      lower.has(layerOf(file) ?? '') ? targets.filter((to) => /^(receivers|api)\//.test(to)).map((to) => `${file} > ${to}`) : []);
    expect(back).toEqual([]);
  });
});

describe('importCycles', () => {
  it('names each circle once, self-imports included, and nothing in a tree without one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']], ['b.ts', ['c.ts', 'd.ts']], ['c.ts', ['a.ts']], ['d.ts', ['d.ts']], ['e.ts', ['a.ts']],
    ]);
    expect(importCycles(graph).sort()).toEqual(['a.ts > b.ts > c.ts > a.ts', 'd.ts > d.ts']);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []], ['c.ts', ['a.ts', 'b.ts']]]))).toEqual([]);
  });
});

describe.each(['collector', 'ui', 'sdk'])('packages/%s/src', (pkg) => {
  it('has no import circle', () => {
    const graph = importGraph(join(repoRoot, 'packages', pkg, 'src'));
    expect(graph.size).toBeGreaterThan(0);
    expect(importCycles(graph)).toEqual([]);
  });
});
