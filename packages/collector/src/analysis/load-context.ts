import type { ContainerEventRow, ContainerRow, ContainerSampleRow } from '../model/rows.js';
import type { Store, TimeRange } from '../store/Store.js';
import type { NeighbourSamples } from './checks/CheckInput.js';
import type { PickedSpan } from './slow-spans.js';

/** One container's rows around the spans picked in it. */
export interface ContainerContext {
  container: ContainerRow | null;
  /** In time order. */
  samples: readonly ContainerSampleRow[];
  /** From an hour before the spans' range (to tell restarts from first starts) to its end. */
  events: readonly ContainerEventRow[];
}

/** Bounds the host-wide read: 100 containers × a 10-minute trace at 1 s is 60 000 rows. */
const NEIGHBOUR_SAMPLES_MAX_ROWS = 100_000;

/** How far back a `die` is looked for, to tell a restart's `start` from a first one. */
const RESTART_LOOKBACK_NS = 3_600_000_000_000n;

/**
 * The range around spans that the checks may look at: two sample intervals on each side, so
 * that the nearest sample beyond each end is found even when a sample came a little late.
 */
export function marginRange(spans: readonly PickedSpan[], intervalNs: bigint): TimeRange {
  let startNs = spans[0]?.span.startNs ?? 0n;
  let endNs = spans[0]?.span.endNs ?? 0n;
  for (const { span } of spans) {
    if (span.startNs < startNs) startNs = span.startNs;
    if (span.endNs > endNs) endNs = span.endNs;
  }
  return { startNs: startNs - 2n * intervalNs, endNs: endNs + 2n * intervalNs + 1n };
}

/** Samples, events and metadata of each container that a picked span ran in, read once per container. */
export async function loadContainerContexts(
  store: Store,
  picked: readonly PickedSpan[],
  intervalNs: bigint,
): Promise<Map<string, ContainerContext>> {
  const byContainer = new Map<string, PickedSpan[]>();
  for (const p of picked) byContainer.set(p.span.containerId, [...(byContainer.get(p.span.containerId) ?? []), p]);
  const ids = [...byContainer.keys()];
  const metadata = new Map((await store.getContainers(ids)).map((c) => [c.id, c]));
  const contexts = await Promise.all(
    ids.map(async (id): Promise<[string, ContainerContext]> => {
      const range = marginRange(byContainer.get(id) ?? [], intervalNs);
      const eventRange = { startNs: range.startNs - RESTART_LOOKBACK_NS, endNs: range.endNs };
      const [samples, events] = await Promise.all([store.containerSamples(id, range), store.containerEvents(id, eventRange)]);
      return [id, { container: metadata.get(id) ?? null, samples, events }];
    }),
  );
  return new Map(contexts);
}

/** Every container's samples in the range, grouped by container, with names for messages. */
export async function loadHostSamples(store: Store, range: TimeRange): Promise<NeighbourSamples[]> {
  const rows = await store.samplesInRange(range, NEIGHBOUR_SAMPLES_MAX_ROWS);
  const byContainer = new Map<string, ContainerSampleRow[]>();
  for (const row of rows) {
    const list = byContainer.get(row.containerId);
    if (list === undefined) byContainer.set(row.containerId, [row]);
    else list.push(row);
  }
  const names = new Map((await store.getContainers([...byContainer.keys()])).map((c) => [c.id, c.name]));
  return [...byContainer].map(([containerId, samples]) => ({
    containerId,
    name: names.get(containerId) ?? shortId(containerId),
    samples,
  }));
}

/** Docker's own short form of an id. */
export function shortId(containerId: string): string {
  return containerId.slice(0, 12);
}
