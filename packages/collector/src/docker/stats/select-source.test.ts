import Dockerode from 'dockerode';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerSampleRow } from '../../model/rows.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import { CgroupStatsSource } from './cgroup-source.js';
import { NO_PRESSURE } from './reading.js';
import { AutoStatsSource, createStatsSource } from './select-source.js';
import type { SampleTarget, StatsSource } from './StatsSource.js';
import { addV2Container, makeTrees, makeV1Host, makeV2Host, type Trees } from './testing/cgroup-trees.js';

const IN_TREE = 'a'.repeat(64);
const ELSEWHERE = 'e'.repeat(64);
const target = (id: string): SampleTarget => ({ id, pid: null, hostNetwork: true });

/** Stands in for the Docker API source: answers for whatever it is asked about. */
class FakeApi implements StatsSource {
  readonly kind = 'docker-api';
  asked: string[][] = [];
  shutdowns = 0;

  sample(targets: readonly SampleTarget[], nowNs: bigint): Promise<ContainerSampleRow[]> {
    this.asked.push(targets.map((t) => t.id));
    return Promise.resolve(targets.map((t) => ({
      containerId: t.id, timeNs: nowNs, cpuPercent: null, cpuThrottledMs: null, cpuPeriods: null, cpuThrottledPeriods: null,
      cpuLimitCores: null, memoryBytes: 1, memoryLimitBytes: null, memoryFailcnt: null, memoryOomKills: null,
      netRxBytes: null, netTxBytes: null, blkReadBytes: null, blkWriteBytes: null, pids: null, ...NO_PRESSURE,
    })));
  }

  shutdown(): Promise<void> {
    this.shutdowns += 1;
    return Promise.resolve();
  }
}

let trees: Trees;
beforeEach(() => {
  trees = makeTrees();
});
afterEach(() => trees.remove());

describe('AutoStatsSource', () => {
  it('reads the cgroup files where they are, and asks the API only about the others', async () => {
    makeV2Host(trees);
    addV2Container(trees, 'limited', `system.slice/docker-${IN_TREE}.scope`);
    const api = new FakeApi();
    let created = 0;
    const errors: string[] = [];
    const auto = new AutoStatsSource(new CgroupStatsSource(trees), () => {
      created += 1;
      return api;
    }, (kind) => errors.push(kind));

    expect(await auto.sample([target(IN_TREE)], 1n)).toHaveLength(1);
    expect(created).toBe(0);

    const rows = await auto.sample([target(IN_TREE), target(ELSEWHERE)], 2n);
    expect(rows.map((r) => r.containerId)).toEqual([IN_TREE, ELSEWHERE]);
    expect(rows[0]?.cpuPressureSomeMs).not.toBeNull(); // from the files
    expect(api.asked).toEqual([[ELSEWHERE]]);
    expect(auto.apiTargets).toBe(1);
    expect(errors).toEqual(['cgroup-not-found']);

    // It appears in the tree later (e.g. the bind mount was fixed): found again at the re-check.
    addV2Container(trees, 'unlimited', `docker/${ELSEWHERE}`);
    for (let tick = 0; tick < 31; tick += 1) await auto.sample([target(IN_TREE), target(ELSEWHERE)], 3n);
    expect(auto.apiTargets).toBe(0);
    expect(errors).toEqual(['cgroup-not-found']);
    expect((await auto.sample([target(IN_TREE), target(ELSEWHERE)], 4n)).map((r) => r.cpuPressureSomeMs !== null)).toEqual([true, true]);

    await auto.shutdown();
    expect(api.shutdowns).toBe(1);
  });
});

describe('createStatsSource', () => {
  const options = (statsSource: 'auto' | 'cgroup' | 'docker-api') => ({
    statsSource,
    cgroupRoot: trees.cgroupRoot,
    procRoot: trees.procRoot,
    docker: new Dockerode({ socketPath: '/nonexistent.sock' }),
    logger: pino({ level: 'silent' }),
    metrics: new MetricsRegistry(),
  });

  it('uses the cgroup files (with the API as fallback) on auto when a hierarchy is visible', async () => {
    makeV1Host(trees, { coMounted: true, hybrid: true });
    const source = createStatsSource(options('auto'));
    expect(source).toBeInstanceOf(AutoStatsSource);
    expect(source.kind).toBe('cgroup-v1');
    await source.shutdown();
  });

  it('falls back to the Docker API on auto when no hierarchy is visible', async () => {
    const source = createStatsSource(options('auto'));
    expect(source.kind).toBe('docker-api');
    await source.shutdown();
  });

  it('honours an explicit choice, and names the option when cgroup cannot work', async () => {
    makeV2Host(trees);
    const cgroup = createStatsSource(options('cgroup'));
    expect(cgroup).toBeInstanceOf(CgroupStatsSource);
    const api = createStatsSource(options('docker-api'));
    expect(api.kind).toBe('docker-api');
    await Promise.all([cgroup.shutdown(), api.shutdown()]);
    trees.remove();
    trees = makeTrees();
    expect(() => createStatsSource(options('cgroup'))).toThrow(/option statsSource is 'cgroup' but cgroupRoot/);
  });
});
