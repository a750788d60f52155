import type { Store } from '../../store/Store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { ContainerRegistry } from './ContainerRegistry.js';
import { metaFromRow, REMOVED_STATE } from './container-row.js';

const NS_PER_MS = 1_000_000n;
const MS_PER_HOUR = 3_600_000;

export interface SeedOptions {
  registry: ContainerRegistry;
  store: Pick<Store, 'listContainers'>;
  retentionHours: number;
  nowNs: bigint;
  logger: Logger;
}

/**
 * Loads the stored containers of the retention window into the registry, so that spans
 * arriving after a collector restart still join containers that are gone. A store that
 * cannot answer is logged; the registry then starts empty.
 */
export async function seedRegistry({ registry, store, retentionHours, nowNs, logger }: SeedOptions): Promise<void> {
  const windowNs = BigInt(Math.ceil(retentionHours * MS_PER_HOUR)) * NS_PER_MS;
  try {
    const rows = await store.listContainers({ startNs: nowNs - windowNs, endNs: nowNs + 1n });
    for (const row of rows) {
      const { meta, hostnameIdentifies } = metaFromRow(row);
      registry.upsert(meta, row.updatedAtNs, hostnameIdentifies);
      if (row.state === REMOVED_STATE) registry.markRemoved(row.id, row.updatedAtNs);
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not load stored containers; the join starts with the live ones only');
  }
}
