import type { ContainerEventRow, ContainerRow, ContainerSampleRow } from '../model/rows.js';
import { containerKey, type ContainerRef, type Store, type TimeRange } from '../store/Store.js';
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

/** The container a span ran in: its id, and its host when the store holds many ('' otherwise). */
export function containerOf(span: PickedSpan['span']): ContainerRef {
  return { host: span.host ?? '', id: span.containerId };
}

/** Samples, events and metadata of each container that a picked span ran in, read once per container (keys: containerKey). */
export async function loadContainerContexts(
  store: Store,
  picked: readonly PickedSpan[],
  intervalNs: bigint,
): Promise<Map<string, ContainerContext>> {
  const byContainer = new Map<string, { ref: ContainerRef; spans: PickedSpan[] }>();
  for (const p of picked) {
    const ref = containerOf(p.span);
    const entry = byContainer.get(containerKey(ref));
    if (entry === undefined) byContainer.set(containerKey(ref), { ref, spans: [p] });
    else entry.spans.push(p);
  }
  const refs = [...byContainer.values()].map((entry) => entry.ref);
  // A one-host store answers without hosts: those rows match any ref of their id.
  const metadata = new Map<string, ContainerRow>();
  for (const c of await store.getContainers(refs)) {
    metadata.set(containerKey({ host: c.host, id: c.id }), c);
    if (!metadata.has(containerKey({ host: '', id: c.id }))) metadata.set(containerKey({ host: '', id: c.id }), c);
  }
  const contexts = await Promise.all(
    [...byContainer].map(async ([key, { ref, spans }]): Promise<[string, ContainerContext]> => {
      const range = marginRange(spans, intervalNs);
      const eventRange = { startNs: range.startNs - RESTART_LOOKBACK_NS, endNs: range.endNs };
      const [samples, events] = await Promise.all([store.containerSamples(ref, range), store.containerEvents(ref, eventRange)]);
      return [key, { container: metadata.get(key) ?? null, samples, events }];
    }),
  );
  return new Map(contexts);
}

/**
 * Every container's samples in the range on one Docker host ('' in a one-host store),
 * grouped by container, with names for messages: the neighbours of a span's container.
 */
export async function loadHostSamples(store: Store, range: TimeRange, host: string): Promise<NeighbourSamples[]> {
  const rows = await store.samplesInRange(range, NEIGHBOUR_SAMPLES_MAX_ROWS, host);
  const byContainer = new Map<string, ContainerSampleRow[]>();
  for (const row of rows) {
    const list = byContainer.get(row.containerId);
    if (list === undefined) byContainer.set(row.containerId, [row]);
    else list.push(row);
  }
  const refs = [...byContainer.keys()].map((id) => ({ host, id }));
  const names = new Map((await store.getContainers(refs)).map((c) => [c.id, c.name]));
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
