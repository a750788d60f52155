/**
 * "Other processes + kernel": the CPU the whole machine spent over a measured interval beyond
 * what the processes a bench measures spent, in cores: the noise behind a slow run.
 *
 * How it is measured: the machine's side is the change of /proc/stat's first line over the
 * interval (user + nice + system + irq + softirq + steal of every core: proc.mjs
 * machineBusyCpuSeconds); the measured side is the change of utime + stime of each measured
 * child in /proc/<pid>/stat (all its threads) plus process.cpuUsage() of the bench itself. The
 * difference over the interval's wall seconds is the figure.
 *
 * It is not clamped at 0. The two sides are different clocks: /proc/stat charges a whole tick
 * to whatever each core ran when its timer fired, a process's utime + stime is its scheduler run
 * time scaled into ticks, and the two are read microseconds apart at each end of the interval.
 * When the rest of the machine is about idle that skew (a few ticks per busy thread) is larger
 * than the rest, and the difference comes out below 0. The figure then shows that skew, with a
 * label and a note that say so, instead of a 0 that nobody measured.
 *
 *   const cores = otherCores({ machineCpuSeconds, measuredCpuSeconds: collector + bench, wallSeconds });
 *   report.figure({ id: 'otherCores', label: otherCoresLabel(values), unit: 'cores', values, digits: 2 });
 *   const skew = otherCoresSkewNote(values); if (skew !== undefined) report.note(skew);
 */
import { median } from './stats.mjs';

export const OTHER_CORES_LABEL = 'other processes + kernel';

/** Cores the machine kept busy beyond the measured processes; below 0 when the clocks' skew outweighs the rest. */
export function otherCores({ machineCpuSeconds, measuredCpuSeconds, wallSeconds }) {
  return (machineCpuSeconds - measuredCpuSeconds) / wallSeconds;
}

const negatives = (values) => values.filter((value) => value < 0).length;

/** The figure's label for its per-run values: names the runs that came out below 0. */
export function otherCoresLabel(values, base = OTHER_CORES_LABEL) {
  const below = negatives(values);
  if (below === 0) return base;
  return `${base} (below 0 in ${below} of ${values.length} runs: measurement skew, the rest of the machine was about idle)`;
}

/** "Other processes and the kernel kept X of the N cores busy (median over runs ...)", without a final stop. */
export function describeOtherCores(values, cores) {
  const middle = median(values);
  const how = "median over runs; the machine's busy CPU from /proc/stat minus the measured processes', not clamped";
  if (middle >= 0) return `Other processes and the kernel kept ${middle.toFixed(2)} of the ${cores} cores busy (${how})`;
  return `Other processes and the kernel: ${middle.toFixed(2)} cores, less than the measurement skew, so none measurable (${how})`;
}

/** A note for the runs whose figure came out below 0, or undefined when none did. */
export function otherCoresSkewNote(values) {
  const below = negatives(values);
  if (below === 0) return undefined;
  return (
    `In ${below} of ${values.length} runs the machine's busy CPU (/proc/stat) was below the measured processes' own ` +
    `(/proc/<pid>/stat, process.cpuUsage), by up to ${(-Math.min(...values)).toFixed(2)} cores: the two are sampled ` +
    'differently (per tick vs scheduler run time) and read microseconds apart, so with the rest of the machine about ' +
    'idle the difference shows that skew, not CPU given back. Read those runs as "no other load measurable".'
  );
}
