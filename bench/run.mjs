/**
 * Runs every bench script in bench/ one after the other, each in its own process with its
 * output shown as it comes, then writes BENCHMARKS.md from the result files the scripts left
 * in bench/results/ (lib/report.mjs, lib/markdown.mjs) and prints a one-line verdict per
 * script. `npm run bench` calls it after a build. Every script stays runnable alone (see
 * bench/README.md); a later `run.mjs --only x` rewrites BENCHMARKS.md with x's new figures
 * and the others' earlier ones, each section dated.
 *
 *   node bench/run.mjs [--quick] [--only decode,ingest] [--out BENCHMARKS.md] [--results DIR]
 *   node bench/run.mjs --render     # runs nothing: BENCHMARKS.md again from the result files
 *                                   # (after editing bench/analysis.md)
 *
 * bench/analysis.md is appended with its placeholders ({{bench.figure}}) filled from the result
 * files; one whose figure is missing reads "(not measured)" and is listed on the console.
 *
 * --quick passes --quick to every script (each declares it); --results sets
 * TRACEDOCK_BENCH_RESULTS for the scripts (default bench/results/).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_TITLES, renderBenchmarks } from './lib/markdown.mjs';
import { NOT_MEASURED, fillPlaceholders } from './lib/placeholders.mjs';
import { REPORT_VERSION, resultsDir } from './lib/report.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = resolve(BENCH_DIR, '..');
const SELF = 'run.mjs';
/** Cheapest first, so that a broken build fails fast; then as BENCHMARKS.md lists them. */
const ORDER = Object.keys(BENCH_TITLES).map((name) => `${name}.mjs`);
const APPENDIX = join(BENCH_DIR, 'analysis.md');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: join(REPO_ROOT, 'BENCHMARKS.md') },
    results: { type: 'string' },
    render: { type: 'boolean', default: false },
  },
});
if (values.results !== undefined) process.env.TRACEDOCK_BENCH_RESULTS = resolve(values.results);

function benchScripts() {
  const found = readdirSync(BENCH_DIR).filter((name) => name.endsWith('.mjs') && name !== SELF);
  const known = ORDER.filter((name) => found.includes(name));
  const others = found.filter((name) => !ORDER.includes(name)).sort();
  const all = [...known, ...others];
  if (values.only === undefined) return all;
  const wanted = values.only.split(',').map((name) => (name.endsWith('.mjs') ? name : `${name}.mjs`));
  const missing = wanted.filter((name) => !all.includes(name));
  if (missing.length > 0) throw new Error(`--only: no bench/${missing.join(', bench/')} (found ${all.join(', ')})`);
  return all.filter((name) => wanted.includes(name));
}

function run(script, args) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, script), ...args], { stdio: 'inherit' });
    child.once('error', (error) => resolveRun({ code: 1, error: error.message }));
    child.once('exit', (code, signal) => resolveRun({ code: code ?? 128, signal }));
  });
}

/** Every result file of the current format, by bench name; a file that does not parse is reported and left out. */
function readResults(dir) {
  const results = new Map();
  if (!existsSync(dir)) return results;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (parsed.version !== REPORT_VERSION || `${parsed.bench}.json` !== file || !Array.isArray(parsed.entries)) continue;
      results.set(parsed.bench, parsed);
    } catch (error) {
      console.error(`  skipping ${join(dir, file)}: ${error.message}`);
    }
  }
  return results;
}

const startedAt = new Date().toISOString();
const scripts = values.render ? [] : benchScripts();
const verdicts = [];
for (const script of scripts) {
  const args = values.quick ? ['--quick'] : [];
  console.log(`\n=== bench/${script} ${args.join(' ')}`.trimEnd());
  const started = performance.now();
  const { code, signal, error } = await run(script, args);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const outcome = code === 0 ? 'ok' : `FAILED (${error ?? (signal === null || signal === undefined ? `exit code ${code}` : signal)})`;
  verdicts.push({ script, outcome, seconds, failed: code !== 0 });
}

const results = readResults(resultsDir());
const statuses = values.render
  ? new Map([...results.values()].map((result) => [result.bench, { outcome: 'ok', failed: false }]))
  : new Map(verdicts.map(({ script, outcome, failed }) => [script.replace(/\.mjs$/, ''), { outcome, failed }]));
// A result written before this invocation began is not this run's, even if its script ran now and failed.
for (const [name, result] of results) {
  if (!values.render && statuses.has(name) && !statuses.get(name).failed && result.finishedAt < startedAt) {
    statuses.set(name, { outcome: 'ran but wrote no result file', failed: true });
  }
}
// The appendix's figures come from the same result files as the tables (lib/placeholders.mjs).
const filled = existsSync(APPENDIX) ? fillPlaceholders(readFileSync(APPENDIX, 'utf8'), results) : undefined;
for (const { placeholder, reason } of filled?.missing ?? []) console.log(`  bench/analysis.md: ${placeholder} ${reason}: shown as ${NOT_MEASURED}`);
const appendix = filled?.text;
// A re-render keeps the suite's own mode and date: those of its earliest result file.
const earliest = [...results.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt))[0];
const quick = values.render ? (earliest?.quick ?? false) : values.quick;
const runStartedAt = values.render ? (earliest?.startedAt ?? startedAt) : startedAt;
writeFileSync(values.out, renderBenchmarks(results, { quick, startedAt: runStartedAt, statuses, appendix }));

console.log('\n=== bench summary');
for (const { script, outcome, seconds } of verdicts) console.log(`  bench/${script.padEnd(18)} ${outcome}, ${seconds} s`);
console.log(`  wrote ${values.out}`);
if (verdicts.some((v) => v.failed)) process.exitCode = 1;
