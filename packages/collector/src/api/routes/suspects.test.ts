import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSuspectsFinder } from '../../analysis/suspects.js';
import { BUSY, BUSY_HOST_CONFIG, seedBusyHost } from '../../analysis/testing/busy-host.js';
import { at } from '../../analysis/testing/rows.js';
import type { DuckDbStore } from '../../store/duckdb/DuckDbStore.js';
import { startedMemoryStore } from '../../store/duckdb/testing/fixtures.js';
import { startApi } from '../test-support.js';

/** GET /api/traces/:id/suspects over the analysis on a real (in-memory) store: the busy host of analysis/testing/busy-host.ts. */
describe('GET /api/traces/:id/suspects', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await startedMemoryStore();
    await seedBusyHost(store);
  });
  afterEach(async () => {
    await store.shutdown();
  });

  it('serves its suspects as JSON through GET /api/traces/:id/suspects', async () => {
    const api = await startApi(store, { suspects: createSuspectsFinder({ store, config: BUSY_HOST_CONFIG, hostCpuCores: 2 }) });
    try {
      const res = await api.get(`/api/traces/${BUSY}/suspects`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { suspects: { kind: string; evidence: { window: unknown } }[] };
      expect(body.suspects.map((s) => s.kind)).toEqual(['cpu_throttled', 'cpu_at_limit', 'noisy_neighbour']);
      expect(body.suspects[0]?.evidence.window).toEqual({ startNs: at(2000).toString(), endNs: at(3000).toString() });
    } finally {
      await api.close();
    }
  });
});
