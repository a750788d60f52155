import type { Attributes, LogRow, MetricPointRow, SpanRow } from '../model/rows.js';
import type { Correlator } from '../pipeline/Correlator.js';
import type { ContainerLookup } from './ContainerLookup.js';
import { containerAt, resolveResource, type Resolution } from './resolve.js';

/**
 * Fills `containerId` of spans, log records and metric points at ingest time by the rules of resolve.ts
 * (container.id, then hostname, then the one Compose container of the service alive then).
 * Rows that already have a container (container stdout logs) are left as they are. Pure
 * and in-memory: one resolution per resource object of a batch, then an index read per row.
 * @example
 * const correlator = new ContainerCorrelator(registry);
 * new WriteQueue({ store, config, metrics, logger, correlator });
 */
export class ContainerCorrelator implements Correlator {
  readonly #lookup: ContainerLookup;

  constructor(lookup: ContainerLookup) {
    this.#lookup = lookup;
  }

  spans(rows: SpanRow[]): SpanRow[] {
    const resolutions = new Map<Attributes, Resolution>();
    for (const row of rows) {
      if (row.containerId !== null) continue;
      row.containerId = containerAt(this.#resolve(resolutions, row.resource), row.startNs);
    }
    return rows;
  }

  logs(rows: LogRow[]): LogRow[] {
    const resolutions = new Map<Attributes, Resolution>();
    for (const row of rows) {
      if (row.containerId !== null) continue;
      row.containerId = containerAt(this.#resolve(resolutions, row.resource), row.timeNs);
    }
    return rows;
  }

  metrics(rows: MetricPointRow[]): MetricPointRow[] {
    const resolutions = new Map<Attributes, Resolution>();
    for (const row of rows) {
      if (row.containerId !== null) continue;
      row.containerId = containerAt(this.#resolve(resolutions, row.resource), row.timeNs);
    }
    return rows;
  }

  /** Decoders share one resource object among the records of a resource: resolve it once. */
  #resolve(cache: Map<Attributes, Resolution>, resource: Attributes): Resolution {
    let resolution = cache.get(resource);
    if (resolution === undefined) {
      resolution = resolveResource(resource, this.#lookup);
      cache.set(resource, resolution);
    }
    return resolution;
  }
}
