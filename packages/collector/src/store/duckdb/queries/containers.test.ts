import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ROWS_MAX, containerRowsLimit } from '../../Store.js';
import type { DuckDbStore } from '../DuckDbStore.js';
import {
  ALL_TIME, T0_NS, makeContainer, makeEvent, makeSample, ms, rangeOf, startedMemoryStore,
} from '../testing/fixtures.js';

const at = (n: number) => T0_NS + ms(n);
const RANGE = rangeOf(at(1000), at(2000));

describe('container queries', () => {
  let store: DuckDbStore;
  const names = async (range = RANGE) => (await store.listContainers(range)).map((c) => c.name);

  beforeAll(async () => {
    store = await startedMemoryStore();
    const containers = [
      makeContainer({ id: 'running', name: 'a-running', startedAtNs: at(0) }),
      makeContainer({ id: 'overlap', name: 'b-ended-inside', startedAtNs: at(0), finishedAtNs: at(1500), state: 'exited' }),
      makeContainer({ id: 'gone', name: 'c-ended-before', startedAtNs: at(0), finishedAtNs: at(999), state: 'exited' }),
      makeContainer({ id: 'later', name: 'd-started-after', startedAtNs: at(2000) }),
      makeContainer({ id: 'restarted', name: 'e-restarted', startedAtNs: at(500), finishedAtNs: at(400), restartCount: 1 }),
      makeContainer({ id: 'sampled', name: 'f-samples-only', startedAtNs: null }),
      makeContainer({ id: 'idle', name: 'g-never-started', startedAtNs: null, state: 'created' }),
    ];
    expect((await store.upsertContainers(containers)).ok).toBe(true);
    expect((await store.writeSamples([
      makeSample({ containerId: 'sampled', timeNs: at(1999) }),
      makeSample({ containerId: 'running', timeNs: at(1200) }),
      makeSample({ containerId: 'running', timeNs: at(1100) }),
      makeSample({ containerId: 'running', timeNs: at(2000) }),
      makeSample({ containerId: 'idle', timeNs: at(999) }),
    ])).ok).toBe(true);
    expect((await store.writeContainerEvents([
      makeEvent({ containerId: 'running', timeNs: at(1300), action: 'die' }),
      makeEvent({ containerId: 'running', timeNs: at(1250), action: 'oom' }),
      makeEvent({ containerId: 'running', timeNs: at(2500), action: 'start' }),
      makeEvent({ containerId: 'other', timeNs: at(1250), action: 'oom' }),
    ])).ok).toBe(true);
  });
  afterAll(async () => {
    await store.shutdown();
  });

  it('lists containers that ran during the range or have samples in it', async () => {
    expect(await names()).toEqual(['a-running', 'b-ended-inside', 'e-restarted', 'f-samples-only']);
    expect(await names(rangeOf(at(2000), at(3000)))).toEqual(['a-running', 'd-started-after', 'e-restarted']);
    expect(await names(rangeOf(0n, at(0)))).toEqual([]);
  });

  it('replaces a container by id, the last row of a batch winning', async () => {
    const updated = makeContainer({ id: 'idle', name: 'g-never-started', state: 'running', startedAtNs: at(1), updatedAtNs: at(5) });
    const result = await store.upsertContainers([makeContainer({ id: 'idle', name: 'ignored' }), updated]);
    expect(result).toEqual({ ok: true, written: 1 });
    expect(await store.getContainers([{ host: '', id: 'idle' }])).toEqual([updated]);
    expect(await names(rangeOf(at(1000), at(1001)))).toContain('g-never-started');
  });

  it('gets containers by id, skipping unknown ids', async () => {
    expect((await store.getContainers([{ host: '', id: 'later' }, { host: '', id: 'nope' }, { host: '', id: 'running' }])).map((c) => c.id)).toEqual(['running', 'later']);
    expect(await store.getContainers([])).toEqual([]);
  });

  it('returns one container\'s samples in [start, end) by time', async () => {
    const samples = await store.containerSamples({ host: '', id: 'running' }, RANGE);
    expect(samples.map((s) => s.timeNs)).toEqual([at(1100), at(1200)]);
    expect(await store.containerSamples({ host: '', id: 'nope' }, ALL_TIME)).toEqual([]);
  });

  it('keeps the newest samples and events, still in time order, when a limit cuts them', async () => {
    expect((await store.containerSamples({ host: '', id: 'running' }, RANGE, 1)).map((s) => s.timeNs)).toEqual([at(1200)]);
    expect((await store.containerEvents({ host: '', id: 'running' }, RANGE, 1)).map((e) => e.action)).toEqual(['die']);
    // Out-of-range limits are clamped, never an error or an unbounded answer.
    expect((await store.containerSamples({ host: '', id: 'running' }, RANGE, 0)).map((s) => s.timeNs)).toEqual([at(1200)]);
    expect(containerRowsLimit(10_000_000)).toBe(CONTAINER_ROWS_MAX);
  });

  it('returns one container\'s events in [start, end) by time', async () => {
    const events = await store.containerEvents({ host: '', id: 'running' }, RANGE);
    expect(events.map((e) => e.action)).toEqual(['oom', 'die']);
    expect(await store.containerEvents({ host: '', id: 'running' }, rangeOf(at(3000), at(4000)))).toEqual([]);
  });
});
