/**
 * The figures and ratios of bench/peers.mjs: added to its bench report (./report.mjs) and
 * printed as a summary, min / median / max per target and per-run ratios of tracedock
 * against each peer measured in the same run.
 *
 *   addPeerFigures(report, { targets: TARGETS, names: ['tracedock', 'jaeger'], byRun });
 *
 * `byRun` holds one object per run, target name → that target's result in the run (a target
 * that failed in a run is absent from it).
 */
import { otherCoresLabel } from './other-cpu.mjs';
import { median, minMedMax } from './stats.mjs';

const MIB = 1024 * 1024;
export const GOAL_VS_JAEGER = 2;
export const GOAL_VS_OTELCOL = 1;

const RATIOS = [
  { peer: 'jaeger', id: 'ratio.jaeger', label: 'tracedock stored / Jaeger stored spans/s', goal: GOAL_VS_JAEGER, pick: (t, p) => t.doneRate / p.doneRate },
  { peer: 'otelcol', id: 'ratio.otelcol', label: 'tracedock stored / otelcol passed-through spans/s', goal: GOAL_VS_OTELCOL, pick: (t, p) => t.doneRate / p.doneRate },
  { peer: 'jaeger', id: 'ratio.cpu.jaeger', label: 'Jaeger CPU per span / tracedock CPU per span', pick: (t, p) => p.cpuMicrosPerSpan / t.cpuMicrosPerSpan },
  { peer: 'otelcol', id: 'ratio.cpu.otelcol', label: 'otelcol CPU per span / tracedock CPU per span', pick: (t, p) => p.cpuMicrosPerSpan / t.cpuMicrosPerSpan },
];

/** Per-run ratios of tracedock against one peer, for the runs in which both were measured. */
function ratios(byRun, peer, pick) {
  return byRun.filter((run) => run.tracedock !== undefined && run[peer] !== undefined).map((run) => pick(run.tracedock, run[peer]));
}

const fixed = (digits) => (v) => v.toFixed(digits);

function addTarget(report, target, name, runs) {
  const group = target.label;
  const pick = (fn) => runs.map(fn);
  const done = target.done;
  const rows = [
    { id: 'done', label: `${done} spans/s (until all acknowledged were ${done})`, short: `${done} spans/s`, unit: 'spans/s', fn: (r) => r.doneRate },
    { id: 'ack', label: 'acknowledged spans/s', short: 'acknowledged spans/s', unit: 'spans/s', fn: (r) => r.ackRate },
    { id: 'cpuPerSpan', label: 'CPU per span (all threads)', short: 'CPU µs per span', unit: 'µs', fn: (r) => r.cpuMicrosPerSpan, digits: 1 },
    { id: 'cores', label: 'cores busy', short: 'cores busy', unit: 'cores', fn: (r) => r.cores, digits: 2 },
    { id: 'peakRss', label: 'peak RSS (VmHWM)', short: 'peak RSS MiB', unit: 'MiB', fn: (r) => r.peakRssBytes / MIB, digits: 0 },
    { id: 'refusals', label: '429s per run (refused, resent)', short: '429s (refused, resent)', unit: 'requests', fn: (r) => r.refusals, digits: 0 },
    { id: 'otherCores', label: otherCoresLabel(pick((r) => r.otherCores)), short: 'others + kernel, cores', unit: 'cores', fn: (r) => r.otherCores, digits: 2 },
  ];
  console.log(`  ${group}`);
  for (const row of rows) {
    // The target's name in the label too: a renderer may show labels without their group.
    report.figure({ id: `${name}.${row.id}`, group, label: `${group}: ${row.label}`, unit: row.unit, values: pick(row.fn), digits: row.digits });
    console.log(`    ${row.short.padEnd(28)}${minMedMax(pick(row.fn), row.digits === undefined || row.digits === 0 ? undefined : fixed(row.digits))}`);
  }
}

/** Adds every target's figures and the ratios to `report`, printing them as it goes. */
export function addPeerFigures(report, { targets, names, byRun }) {
  for (const name of names) {
    const runs = byRun.map((run) => run[name]).filter((r) => r !== undefined);
    if (runs.length > 0) addTarget(report, targets[name], name, runs);
  }
  const group = 'tracedock vs peers';
  let header = false;
  for (const { peer, id, label, goal, pick } of RATIOS) {
    const list = ratios(byRun, peer, pick);
    if (list.length === 0) continue;
    if (!header) console.log(`  ${group} (per run, then the median)`);
    header = true;
    report.ratio({ id, group, label, values: list, digits: 2, ...(goal === undefined ? {} : { goal: { op: '>=', value: goal } }) });
    const verdict = goal === undefined ? '' : `  goal >= ${goal}: ${median(list) >= goal ? 'MET' : 'NOT MET'}`;
    console.log(`    ${label.padEnd(52)}${list.map((v) => v.toFixed(2)).join(' ')} -> ${median(list).toFixed(2)}${verdict}`);
  }
}
