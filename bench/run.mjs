/**
 * Runs every bench script in bench/ one after the other, each in its own process with its
 * output shown as it comes, then a one-line verdict per script. `npm run bench` calls it
 * after a build. Every script stays runnable alone (see bench/README.md).
 *
 *   node bench/run.mjs [--quick] [--only decode,ingest]
 *
 * --quick asks each script for a short run: decode.mjs and store.mjs, which have no --quick,
 * get smaller sizes through their own flags (QUICK_ARGS below); any other script gets --quick
 * if it declares that option, else runs with its defaults.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const SELF = 'run.mjs';
/** Cheapest first, so that a broken build fails fast. */
const ORDER = ['decode.mjs', 'ingest.mjs', 'store.mjs'];
const QUICK_ARGS = {
  'decode.mjs': ['--seconds', '0.3', '--rounds', '2', '--runs', '1'],
  'store.mjs': ['--sizes', '100000', '--lookups', '50', '--repeats', '5'],
};
/** A parseArgs option named quick, as the bench scripts declare it. */
const DECLARES_QUICK = /\bquick\s*:\s*\{\s*type:\s*'boolean'/;

function quickArgsOf(script) {
  if (script in QUICK_ARGS) return QUICK_ARGS[script];
  const source = readFileSync(fileURLToPath(new URL(script, import.meta.url)), 'utf8');
  return DECLARES_QUICK.test(source) ? ['--quick'] : [];
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

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
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: 'inherit' });
    child.once('error', (error) => resolve({ code: 1, error: error.message }));
    child.once('exit', (code, signal) => resolve({ code: code ?? 128, signal }));
  });
}

const scripts = benchScripts();
const verdicts = [];
for (const script of scripts) {
  const args = values.quick ? quickArgsOf(script) : [];
  console.log(`\n=== bench/${script} ${args.join(' ')}`.trimEnd());
  const started = performance.now();
  const { code, signal, error } = await run(script, args);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const outcome = code === 0 ? 'ok' : `FAILED (${error ?? (signal === null || signal === undefined ? `exit code ${code}` : signal)})`;
  verdicts.push({ script, outcome, seconds, failed: code !== 0 });
}

console.log('\n=== bench summary');
for (const { script, outcome, seconds } of verdicts) console.log(`  bench/${script.padEnd(12)} ${outcome}, ${seconds} s`);
if (verdicts.some((v) => v.failed)) process.exitCode = 1;
