/**
 * What a bench script hands to BENCHMARKS.md: its figures (every run's value; min / median /
 * max are derived), ratios of two things measured in the same run, the goal beside each, and
 * notes. A script builds one report and writes it to `bench/results/<bench>.json` (or
 * `$TRACEDOCK_BENCH_RESULTS/<bench>.json`); `run.mjs` renders every result file there into
 * BENCHMARKS.md, so a script run alone still updates its own section.
 *
 * @example
 *   const report = createReport('ingest', { quick: values.quick, params: { runs: 5, seconds: 10 } });
 *   report.figure({ id: 'proto.e2e', label: 'OTLP/HTTP protobuf end to end', unit: 'spans/s',
 *     values: [64480, 78576, 92562], goal: { op: '>=', value: 100_000 } });
 *   report.ratio({ id: 'proto.ratio', label: 'end to end / decode-only', values: [0.25, 0.3],
 *     goal: { op: '>=', value: 0.5 } });
 *   report.note('other processes kept 0.3 cores busy');
 *   await report.write();
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spread } from './stats.mjs';

export const REPORT_VERSION = 1;
const GOAL_OPS = new Set(['>=', '<=']);

/** Where result files go: $TRACEDOCK_BENCH_RESULTS, else bench/results. */
export function resultsDir() {
  return process.env.TRACEDOCK_BENCH_RESULTS ?? fileURLToPath(new URL('../results/', import.meta.url));
}

function checkGoal(goal, where) {
  if (goal === undefined) return undefined;
  if (!GOAL_OPS.has(goal.op) || !Number.isFinite(goal.value)) {
    throw new Error(`${where}: goal must be { op: '>=' | '<=', value: number }, got ${JSON.stringify(goal)}`);
  }
  return { op: goal.op, value: goal.value, ...(goal.text === undefined ? {} : { text: String(goal.text) }) };
}

function checkValues(values, where) {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => Number.isFinite(v))) {
    throw new Error(`${where}: values must be a non-empty list of finite numbers, got ${JSON.stringify(values)}`);
  }
  return [...values];
}

/** Whether the median meets the goal; undefined when there is no goal. */
export function meets(goal, medianValue) {
  if (goal === undefined) return undefined;
  return goal.op === '>=' ? medianValue >= goal.value : medianValue <= goal.value;
}

function entry(kind, { id, label, unit, values, goal, group, digits }, bench) {
  const where = `${bench} ${kind} ${id}`;
  if (typeof id !== 'string' || id === '') throw new Error(`${bench}: every ${kind} needs an id`);
  if (typeof label !== 'string' || label === '') throw new Error(`${where}: needs a label`);
  const checked = checkValues(values, where);
  const checkedGoal = checkGoal(goal, where);
  const summary = spread(checked);
  return {
    kind,
    id,
    label,
    unit: unit ?? (kind === 'ratio' ? 'x' : ''),
    group: group ?? '',
    digits: digits ?? undefined,
    values: checked,
    ...summary,
    goal: checkedGoal,
    met: meets(checkedGoal, summary.median),
  };
}

/**
 * A report for one bench script. `params` are the settings that shaped the figures (runs,
 * seconds, sizes...), printed beside them.
 */
export function createReport(bench, { quick = false, params = {} } = {}) {
  // The process's start, not this call's: a report is often made once the runs are over.
  const started = new Date(performance.timeOrigin);
  const entries = [];
  const notes = [];
  const ids = new Set();
  const add = (kind, spec) => {
    const made = entry(kind, spec, bench);
    if (ids.has(made.id)) throw new Error(`${bench}: ${kind} id ${made.id} used twice`);
    ids.add(made.id);
    entries.push(made);
    return made;
  };
  return {
    /** A measured quantity, one value per run (or per sample). */
    figure: (spec) => add('figure', spec),
    /** A ratio of two things measured in the same run, one value per run. */
    ratio: (spec) => add('ratio', spec),
    /** A line of prose shown under the bench's table (what limited it, what was skipped). */
    note: (text) => void notes.push(String(text)),
    get entries() {
      return entries;
    },
    async write() {
      const dir = resultsDir();
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${bench}.json`);
      const body = {
        version: REPORT_VERSION,
        bench,
        quick,
        params,
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: machine(),
        entries,
        notes,
      };
      await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
      return file;
    },
  };
}

/** What the figures were measured on. */
export function machine() {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}
