/**
 * BENCHMARKS.md from the result files of lib/report.mjs: the machine, a table of every goal,
 * then one section per bench with each figure's min / median / max, its goal, and the notes.
 * Pure: run.mjs reads the files and writes the text; the smoke test renders fixtures.
 */

/** What each bench measures, in the order the sections appear. */
export const BENCH_TITLES = {
  decode: 'OTLP decode on one core',
  ingest: 'Ingest end to end (acknowledged and queryable) vs decode-only',
  'metrics-ingest': 'OTLP metrics ingest end to end',
  peers: 'Ingest against peers: OpenTelemetry Collector and Jaeger v2',
  telemetrygen: 'Ingest under telemetrygen (OTLP/HTTP and gRPC) against the peers',
  sustained: 'Sustained load with the Docker sampler on',
  store: 'The DuckDB store alone',
  stores: 'The DuckDB and ClickHouse stores side by side: writes, trace by id and a search, in the store and through the API',
  query: 'Query latency and storage footprint',
  'sdk-overhead': 'SDK overhead on an Express service',
  'stats-overhead': 'Container stats overhead',
  'ui-render': 'UI: navigation to a painted trace waterfall',
};

const BENCH_ORDER = Object.keys(BENCH_TITLES);

/** Readable numbers: grouped integers when large, a few significant digits when small. */
export function formatNumber(value, digits) {
  const magnitude = Math.abs(value);
  if (digits !== undefined && digits !== null) {
    return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1 || magnitude === 0) return value.toFixed(2);
  return value.toPrecision(2);
}

function goalText(entry) {
  if (entry.goal === undefined || entry.goal === null) return '';
  const text = `${entry.goal.op === '>=' ? '≥' : '≤'} ${formatNumber(entry.goal.value, entry.digits)}`;
  return entry.goal.text === undefined ? text : `${text} (${entry.goal.text})`;
}

function verdict(entry) {
  if (entry.met === undefined || entry.met === null) return '';
  return entry.met ? 'met' : '**not met**';
}

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The label with its group (an encoding, a target, a size) in front unless it already names it. */
function fullLabel(entry) {
  if (!entry.group || entry.label.includes(entry.group)) return entry.label;
  return `${entry.group}: ${entry.label}`;
}

function unitOf(entry) {
  return entry.kind === 'ratio' ? '×' : entry.unit;
}

function paramsText(params) {
  const parts = Object.entries(params ?? {}).map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(',') : value}`);
  return parts.length === 0 ? '' : `; ${parts.join(', ')}`;
}

function seconds(from, to) {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** The section of one bench: a status line, the figures, the notes. */
function section(name, result, status) {
  const lines = [`## ${name}: ${BENCH_TITLES[name] ?? name}`, ''];
  if (status?.failed) lines.push(`**This run failed** (${status.outcome}).${result === undefined ? ' No figures.' : ' The figures below are from an earlier run.'}`, '');
  if (result === undefined) {
    if (!status?.failed) lines.push('Not run yet.', '');
    return lines;
  }
  const stale = status === undefined || status.failed;
  lines.push(
    `${result.quick ? 'Quick' : 'Full'} run of \`bench/${name}.mjs\`, ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `${seconds(result.startedAt, result.finishedAt)} s${paramsText(result.params)}.` +
      (stale ? ' *(Not run in this invocation: figures from its own earlier run.)*' : ''),
    '',
  );
  const groups = [...new Set(result.entries.map((entry) => entry.group ?? ''))];
  for (const group of groups) {
    if (groups.length > 1 && group !== '') lines.push(`**${group}**`, '');
    lines.push('| figure | unit | min | median | max | runs | goal | |', '|---|---|--:|--:|--:|--:|---|---|');
    for (const entry of result.entries.filter((e) => (e.group ?? '') === group)) {
      const fmt = (v) => formatNumber(v, entry.digits);
      lines.push(
        `| ${cell(entry.label)} | ${cell(unitOf(entry))} | ${fmt(entry.min)} | **${fmt(entry.median)}** | ${fmt(entry.max)} | ${entry.values.length} | ${cell(goalText(entry))} | ${verdict(entry)} |`,
      );
    }
    lines.push('');
  }
  for (const note of result.notes ?? []) lines.push(`- ${note}`);
  if ((result.notes ?? []).length > 0) lines.push('');
  return lines;
}

/**
 * @param results Map of bench name → parsed result file
 * @param run { quick, startedAt, statuses: Map of bench name → { outcome, failed } for the benches run now,
 *   appendix: markdown put after the sections (bench/analysis.md: what limits the goals not met) }
 */
export function renderBenchmarks(results, run) {
  const names = [...new Set([...BENCH_ORDER, ...results.keys(), ...run.statuses.keys()])].filter(
    (name) => results.has(name) || run.statuses.has(name),
  );
  const machine = [...results.values()].find((r) => run.statuses.has(r.bench))?.machine ?? [...results.values()][0]?.machine;
  const lines = ['# tracedock benchmarks', ''];
  lines.push(
    `Written by \`npm run bench${run.quick ? ' -- --quick' : ''}\` (bench/run.mjs) on ${run.startedAt.slice(0, 10)}, from the result files in bench/results/. ` +
      'Every figure shows min / median / max over its runs; a goal is met when the median meets it. ' +
      'These machines are shared: compare ratios measured in the same run rather than absolute rates across runs. ' +
      'How each bench works: bench/README.md.',
    '',
  );
  if (machine !== undefined) {
    lines.push(
      `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ` +
        `Node ${machine.node}, ${machine.platform}; load average ${machine.loadAverage1m} when the first bench ended.`,
      '',
    );
  }
  const goals = names.flatMap((name) => (results.get(name)?.entries ?? []).filter((e) => e.goal !== undefined && e.goal !== null).map((e) => ({ name, e })));
  if (goals.length > 0) {
    lines.push('## Goals', '', '| bench | figure | goal | median (min – max) | |', '|---|---|---|---|---|');
    for (const { name, e } of goals) {
      const fmt = (v) => formatNumber(v, e.digits);
      lines.push(`| ${name} | ${cell(fullLabel(e))} | ${cell(goalText(e))} ${cell(unitOf(e))} | ${fmt(e.median)} (${fmt(e.min)} – ${fmt(e.max)}) | ${verdict(e)} |`);
    }
    lines.push('');
  }
  for (const name of names) lines.push(...section(name, results.get(name), run.statuses.get(name)));
  if (run.appendix) lines.push(run.appendix.trim(), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
