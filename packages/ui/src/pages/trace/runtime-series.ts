import type { MetricSeriesResponse, WireMetricSeries } from '../../api/wire.js';
import type { Point } from '../../charts/resource-series.js';
import { formatMetricValue } from '../../format/metric-units.js';
import { shortId } from '../../format/units.js';
import { rateOf, sumByTime, valueSeries } from '../metrics/series-math.js';

/**
 * A Node service's own runtime beside its container's resources, from the metrics that
 * @opentelemetry/instrumentation-runtime-node and -host-metrics report: event-loop delay,
 * V8 heap used, GC time and process CPU. Only what the service reports is asked for.
 */

export type RuntimePanelId = 'eventLoop' | 'heap' | 'gc' | 'cpu';

export interface RuntimePanelSpec {
  id: RuntimePanelId;
  metric: string;
  title: string;
}

/** Best first: a high percentile shows stalls; the mean hides them, but is better than nothing. */
const EVENT_LOOP_DELAY = [
  { metric: 'nodejs.eventloop.delay.p99', title: 'Event-loop delay p99' },
  { metric: 'nodejs.eventloop.delay.max', title: 'Event-loop delay max' },
  { metric: 'nodejs.eventloop.delay.mean', title: 'Event-loop delay mean' },
] as const;
export const HEAP_USED = 'v8js.memory.heap.used';
export const GC_DURATION = 'v8js.gc.duration';
export const PROCESS_CPU = 'process.cpu.utilization';

/** Every metric name the runtime charts may read, for picking them out of a service's list. */
export const RUNTIME_METRIC_NAMES: ReadonlySet<string> = new Set([...EVENT_LOOP_DELAY.map((m) => m.metric), HEAP_USED, GC_DURATION, PROCESS_CPU]);

/** The panels a service's reported metrics allow, in display order; [] when it reports none. */
export function runtimePlan(reported: ReadonlySet<string>): RuntimePanelSpec[] {
  const plan: RuntimePanelSpec[] = [];
  const delay = EVENT_LOOP_DELAY.find((m) => reported.has(m.metric));
  if (delay !== undefined) plan.push({ id: 'eventLoop', metric: delay.metric, title: delay.title });
  if (reported.has(HEAP_USED)) plan.push({ id: 'heap', metric: HEAP_USED, title: 'Heap used (all spaces)' });
  if (reported.has(GC_DURATION)) plan.push({ id: 'gc', metric: GC_DURATION, title: 'GC time (per second)' });
  if (reported.has(PROCESS_CPU)) plan.push({ id: 'cpu', metric: PROCESS_CPU, title: 'Process CPU' });
  return plan;
}

export interface RuntimeLine {
  label: string;
  points: Point[];
}

export interface RuntimePanel {
  spec: RuntimePanelSpec;
  lines: RuntimeLine[];
  format: (value: number) => string;
}

/** Series by container: a service without a known container may still have run in several. */
function byContainer(series: readonly WireMetricSeries[]): Map<string | null, WireMetricSeries[]> {
  const groups = new Map<string | null, WireMetricSeries[]>();
  for (const s of series) {
    const list = groups.get(s.containerId);
    if (list === undefined) groups.set(s.containerId, [s]);
    else list.push(s);
  }
  return groups;
}

/** One line per container: the series of the group summed per point time (heap spaces, GC kinds, CPU states). */
function groupLine(spec: RuntimePanelSpec, response: MetricSeriesResponse, group: readonly WireMetricSeries[]): Point[] {
  const temporality = response.metric?.temporality ?? 'cumulative';
  switch (spec.id) {
    case 'eventLoop':
    case 'heap':
    case 'cpu':
      return sumByTime(group.map((s) => valueSeries(s.points)));
    case 'gc':
      // Seconds spent in GC per second: the change of the histogram's sum.
      return sumByTime(group.map((s) => rateOf(s.points, temporality, (p) => p.sum)));
  }
}

function formatOf(spec: RuntimePanelSpec, unit: string): (value: number) => string {
  switch (spec.id) {
    case 'eventLoop':
      return formatMetricValue(unit === '' ? 's' : unit);
    case 'heap':
      return formatMetricValue(unit === '' ? 'By' : unit);
    case 'gc':
      return formatMetricValue(unit === '' ? 's' : unit, true);
    case 'cpu':
      return formatMetricValue(unit === '' ? '1' : unit);
  }
}

/** A panel's lines from its metric's series; no lines when the window has no point. */
export function runtimePanel(spec: RuntimePanelSpec, response: MetricSeriesResponse, containerNames: ReadonlyMap<string, string>): RuntimePanel {
  const groups = byContainer(response.series);
  const lines = [...groups.entries()].map(([containerId, group]) => ({
    label: groups.size === 1 ? spec.title : containerId === null ? 'no container' : (containerNames.get(containerId) ?? shortId(containerId, 12)),
    points: groupLine(spec, response, group),
  }));
  return { spec, lines, format: formatOf(spec, response.metric?.unit ?? '') };
}
