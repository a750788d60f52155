import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/logger.js';
import type { WriteResult } from '../../store/Store.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import { Backoff } from '../connection/backoff.js';
import { declareDockerMetrics, DOCKER_METRICS } from '../docker-metrics.js';
import { StoreBatcher } from './StoreBatcher.js';

function batcher(results: WriteResult[], maxRows = 5) {
  const metrics = new MetricsRegistry();
  declareDockerMetrics(metrics);
  const written: number[][] = [];
  const store = new StoreBatcher<number>({
    table: 'events', maxRows, flushIntervalMillis: 60_000, metrics, logger: silentLogger,
    write: async (rows) => {
      written.push(rows);
      return results.shift() ?? { ok: true, written: rows.length };
    },
  });
  const dropped = (): number => metrics.value(DOCKER_METRICS.rowsDropped, { table: 'events' });
  return { store, written, dropped };
}

describe('StoreBatcher', () => {
  it('writes what it holds in one call, and drops (counted) beyond its bound', async () => {
    const { store, written, dropped } = batcher([]);
    store.add([1, 2, 3]);
    store.add([4, 5, 6, 7]);
    expect(dropped()).toBe(2);
    await store.flush();
    expect(written).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('keeps rows after a retryable failure and drops them after a permanent one', async () => {
    const { store, written, dropped } = batcher([
      { ok: false, retryable: true, error: new Error('busy') },
      { ok: false, retryable: false, error: new Error('broken') },
    ]);
    store.add([1, 2]);
    await store.flush();
    store.add([3]);
    await store.flush();
    expect(written).toEqual([[1, 2], [1, 2, 3]]);
    expect(dropped()).toBe(3);
    await store.shutdown();
    await store.shutdown();
  });
});

describe('Backoff', () => {
  it('doubles from min to the cap, jittered into [half, whole], and starts over after reset', () => {
    const top = new Backoff(100, 1_000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => top.next())).toEqual([100, 200, 400, 800, 1_000]);
    top.reset();
    expect(top.next()).toBe(100);
    expect(new Backoff(100, 1_000, () => 0).next()).toBe(50);
  });
});
