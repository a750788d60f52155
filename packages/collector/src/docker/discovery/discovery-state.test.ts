import { describe, expect, it } from 'vitest';
import { deadMeta, testMeta } from '../testing/meta.js';
import { ContainerRegistry, type EvictionReason } from './ContainerRegistry.js';
import { containerRow, metaFromRow, REMOVED_STATE } from './container-row.js';
import { inferEvents } from './infer-events.js';
import { RecentEvents } from './recent-events.js';

const S = 1_000_000_000n;

describe('ContainerRegistry', () => {
  it('re-indexes a container whose service or hostname changed', () => {
    const registry = new ContainerRegistry({ maxContainers: 10 });
    const a = testMeta('a', { service: 'orders', hostname: 'one' });
    registry.upsert(a, 1n);
    registry.upsert({ ...a, service: 'billing', hostname: 'two' }, 2n);
    expect(registry.byComposeService('orders')).toEqual([]);
    expect(registry.byComposeService('billing').map((c) => c.id)).toEqual([a.id]);
    expect(registry.byHostname('one')).toEqual([]);
    expect(registry.byHostname('two').map((c) => c.id)).toEqual([a.id]);
  });

  it('lists the alive ones, a removed container no longer', () => {
    const registry = new ContainerRegistry({ maxContainers: 10 });
    registry.upsert(testMeta('a'), 1n);
    registry.upsert(deadMeta('b', 1n, 2n), 1n);
    expect(registry.alive().map((e) => e.meta.name)).toEqual(['c-a']);
    registry.markRemoved(testMeta('a').id, 5n);
    expect(registry.alive()).toEqual([]);
    expect(registry.get(testMeta('a').id)?.candidate.aliveUntilNs).toBe(5n);
  });

  it('is bounded: the longest-dead entry goes first, then the least recently seen alive one', () => {
    const evicted: [string, EvictionReason][] = [];
    const registry = new ContainerRegistry({ maxContainers: 3, onEvicted: (e, reason) => evicted.push([e.meta.name, reason]) });
    registry.upsert(testMeta('a'), 1n);
    registry.upsert(deadMeta('b', 1n, 20n), 2n);
    registry.upsert(deadMeta('c', 1n, 10n), 3n);
    registry.upsert(testMeta('d'), 4n);
    expect(evicted).toEqual([['c-c', 'capacity_dead']]);
    registry.upsert(testMeta('e'), 5n);
    registry.upsert(testMeta('f'), 6n);
    expect(evicted.slice(1)).toEqual([['c-b', 'capacity_dead'], ['c-a', 'capacity_alive']]);
    expect(registry.size).toBe(3);
  });

  it('drops dead containers once the retention window has passed', () => {
    const evicted: string[] = [];
    const registry = new ContainerRegistry({ maxContainers: 10, onEvicted: (e) => evicted.push(e.meta.name) });
    registry.upsert(deadMeta('a', 1n, 10n * S), 10n * S);
    registry.upsert(deadMeta('b', 1n, 30n * S), 30n * S);
    registry.upsert(testMeta('c'), 1n);
    expect(registry.evictDeadBefore(20n * S)).toBe(1);
    expect(evicted).toEqual(['c-a']);
    expect(registry.byIdPrefix(testMeta('a').id)).toEqual([]);
  });
});

describe('container rows', () => {
  it('round-trip through the stored form; only Docker\'s default hostname stays a join key', () => {
    const registry = new ContainerRegistry({ maxContainers: 10 });
    const { entry } = registry.upsert(testMeta('a', { service: 'orders', cpuLimitCores: 0.5 }), 1n);
    const row = containerRow(entry, 7n, 'host-a');
    expect(row).toMatchObject({ id: entry.meta.id, service: 'orders', cpuLimit: 0.5, state: 'running', updatedAtNs: 7n, host: 'host-a' });
    expect(metaFromRow(row).hostnameIdentifies).toBe(true);
    expect(metaFromRow({ ...row, hostname: 'vm' }).hostnameIdentifies).toBe(false);
    registry.markRemoved(entry.meta.id, 9n);
    expect(containerRow(entry, 9n, 'host-a').state).toBe(REMOVED_STATE);
  });
});

describe('inferEvents', () => {
  const recent = new RecentEvents();
  const none = recent.recordedNear.bind(recent);

  it('infers die (and oom) at FinishedAt and start at StartedAt inside the outage', () => {
    const meta = testMeta('a', { startedAtNs: 105n * S, finishedAtNs: 102n * S, oomKilled: true, exitCode: 137 });
    expect(inferEvents(meta, 100n * S, none).map((e) => [e.action, e.timeNs, e.attributes.exitCode])).toEqual([
      ['oom', 102n * S, undefined],
      ['die', 102n * S, '137'],
      ['start', 105n * S, undefined],
    ]);
    expect(inferEvents(meta, 110n * S, none)).toEqual([]);
  });

  it('does not repeat an event that was recorded for real', () => {
    const events = new RecentEvents();
    const meta = testMeta('a', { startedAtNs: 105n * S });
    events.add({ containerId: meta.id, action: 'start', timeNs: 105n * S + 3_000_000n, attributes: {} });
    expect(inferEvents(meta, 100n * S, events.recordedNear.bind(events))).toEqual([]);
  });
});

describe('RecentEvents', () => {
  it('spots a replayed event', () => {
    const events = new RecentEvents();
    const event = { containerId: 'a'.repeat(64), action: 'die' as const, timeNs: 5n, attributes: {} };
    expect(events.add(event)).toBe(true);
    expect(events.add({ ...event })).toBe(false);
    expect(events.add({ ...event, timeNs: 6n })).toBe(true);
  });
});

describe('ContainerRegistry entries', () => {
  it('stay the same object across upserts, so that a log follower\'s resume point survives a re-inspect', () => {
    const registry = new ContainerRegistry({ maxContainers: 10 });
    const { entry } = registry.upsert(testMeta('a'), 1n);
    entry.lastLogNs = 42n;
    const again = registry.upsert({ ...testMeta('a'), restartCount: 1 }, 2n);
    expect(again.entry).toBe(entry);
    expect(again.previous?.restartCount).toBe(0);
    expect(registry.get(entry.meta.id)?.lastLogNs).toBe(42n);
  });
});

describe('seeded and restarted entries', () => {
  it('a stored container is not alive until discovery says so; its life ends at its last update', async () => {
    const { seedRegistry } = await import('./seed.js');
    const registry = new ContainerRegistry({ maxContainers: 10 });
    const { entry } = registry.upsert(testMeta('a', { service: 'orders', startedAtNs: 10n * S }), 1n);
    const row = containerRow(entry, 30n * S, 'host-a');
    const store = { listContainers: async () => [row, { ...containerRow(registry.upsert(testMeta('b'), 1n).entry, 40n * S, 'host-a'), state: REMOVED_STATE }] };
    const seeded = new ContainerRegistry({ maxContainers: 10 });
    await seedRegistry({ registry: seeded, store, retentionHours: 1, nowNs: 50n * S, logger: (await import('../../../test/support/logger.js')).silentLogger });
    expect(seeded.alive()).toEqual([]);
    expect(seeded.byComposeService('orders')).toEqual([{ id: entry.meta.id, aliveFromNs: 10n * S, aliveUntilNs: 30n * S }]);
    expect(seeded.get(testMeta('b').id)?.removed).toBe(true);
  });

  it('a stopped container whose FinishedAt is older than its StartedAt (an earlier exit) ends when last seen', () => {
    const registry = new ContainerRegistry({ maxContainers: 10 });
    const meta = testMeta('a', { alive: false, state: 'exited', startedAtNs: 20n * S, finishedAtNs: 5n * S });
    expect(registry.upsert(meta, 25n * S).entry.candidate).toEqual({ id: meta.id, aliveFromNs: 20n * S, aliveUntilNs: 25n * S });
  });
});
