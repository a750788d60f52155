import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/logger.js';
import type { WriteResult } from '../../store/Store.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import { declareDockerMetrics, DOCKER_METRICS } from '../docker-metrics.js';
import { StoreBatcher } from './StoreBatcher.js';

/** Retries at once: the waits themselves are write-retry.test.ts's. */
const NO_WAIT_RETRY = { maxAttempts: 3, backoff: { initialMillis: 0, maxMillis: 0 } };

function batcher(results: WriteResult[], maxRows = 5) {
  const metrics = new MetricsRegistry();
  declareDockerMetrics(metrics);
  const { logger, lines } = captureLogger();
  const written: number[][] = [];
  const store = new StoreBatcher<number>({
    table: 'events', maxRows, flushIntervalMillis: 60_000, metrics, logger, retry: NO_WAIT_RETRY,
    write: async (rows) => {
      written.push([...rows]);
      return results.shift() ?? { ok: true, written: rows.length };
    },
  });
  const dropped = (): number => metrics.value(DOCKER_METRICS.rowsDropped, { table: 'events' });
  return { store, written, dropped, lines };
}

const busy = (): WriteResult => ({ ok: false, retryable: true, error: new Error('busy') });

describe('StoreBatcher', () => {
  it('writes what it holds in one call, and drops (counted) beyond its bound', async () => {
    const { store, written, dropped } = batcher([]);
    store.add([1, 2, 3]);
    store.add([4, 5, 6, 7]);
    expect(dropped()).toBe(2);
    await store.flush();
    expect(written).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('retries a retryable failure under the write policy, and drops at once after a permanent one', async () => {
    const { store, written, dropped } = batcher([busy(), { ok: true, written: 2 }, { ok: false, retryable: false, error: new Error('broken') }]);
    store.add([1, 2]);
    await store.flush();
    expect(written).toEqual([[1, 2], [1, 2]]);
    expect(dropped()).toBe(0);
    store.add([3]);
    await store.flush();
    expect(written).toEqual([[1, 2], [1, 2], [3]]);
    expect(dropped()).toBe(1);
    await store.shutdown();
    await store.shutdown();
  });

  it('drops a batch after maxAttempts retryable failures, and logs each kind of drop once', async () => {
    const { store, written, dropped, lines } = batcher(Array.from({ length: 6 }, busy));
    store.add([1, 2]);
    await store.flush();
    store.add([3]);
    await store.flush();
    expect(written).toEqual([[1, 2], [1, 2], [1, 2], [3], [3], [3]]);
    expect(dropped()).toBe(3);
    expect(lines().map((l) => [l.table, l.reason, l.rows])).toEqual([['events', 'retries_exhausted', 2]]);
  });
});
