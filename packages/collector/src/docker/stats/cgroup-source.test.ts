import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCgroupVersion } from './cgroup-layout.js';
import { CgroupStatsSource } from './cgroup-source.js';
import { parseMemTotalBytes } from './parse-proc.js';
import type { SampleTarget } from './StatsSource.js';
import {
  addProcess,
  addV1Container,
  addV2Container,
  advanceHostClock,
  FIXTURES,
  makeTrees,
  makeV1Host,
  makeV2Host,
  type Trees,
} from './testing/cgroup-trees.js';

const ID = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const T = 1_000n;
const HOST_MEMORY = parseMemTotalBytes(readFileSync(join(FIXTURES, 'proc', 'meminfo'), 'latin1'));

const target = (overrides: Partial<SampleTarget> = {}): SampleTarget => ({ id: ID, pid: null, hostNetwork: true, ...overrides });

let trees: Trees;
beforeEach(() => {
  trees = makeTrees();
});
afterEach(() => trees.remove());

describe('cgroup v1 layouts (recorded files)', () => {
  it('finds a cgroupfs-driver container in separate cpu and cpuacct hierarchies, with PSI from unified', () => {
    makeV1Host(trees, { coMounted: false, hybrid: true });
    addV1Container(trees, 'burner', `docker/${ID}`);
    expect(detectCgroupVersion(trees.cgroupRoot)).toBe(1);
    const source = new CgroupStatsSource(trees);
    expect(source.kind).toBe('cgroup-v1');
    const { rows, unresolved } = source.sampleDetailed([target()], T);
    expect(unresolved).toEqual([]);
    expect(rows).toEqual([expect.objectContaining({
      containerId: ID, timeNs: T, cpuPercent: null, cpuLimitCores: 0.2, cpuThrottledPeriods: 251,
      memoryBytes: 233472, memoryLimitBytes: 67108864, netRxBytes: null, netTxBytes: null, cpuPressureSomeMs: 14980.248,
    })]);
  });

  it('finds a systemd-driver container under co-mounted cpu,cpuacct, without PSI on a pure v1 host', () => {
    makeV1Host(trees, { coMounted: true, hybrid: false });
    addV1Container(trees, 'shm-holder', `system.slice/docker-${ID}.scope`);
    const [row] = new CgroupStatsSource(trees).sampleDetailed([target()], T).rows;
    expect(row).toMatchObject({ memoryBytes: 30298112, pids: 1, cpuPressureSomeMs: null, cpuThrottledPeriods: 0 });
  });

  it('computes CPU % between two samples as docker stats does', () => {
    makeV1Host(trees, { coMounted: false, hybrid: false });
    addV1Container(trees, 'burner', `docker/${ID}`);
    const source = new CgroupStatsSource(trees);
    source.sampleDetailed([target()], T);
    const usagePath = join(trees.cgroupRoot, 'cpuacct', 'docker', ID, 'cpuacct.usage');
    writeFileSync(usagePath, `${5050567337 + 200_000_000}\n`); // 0.2 s of CPU ...
    advanceHostClock(trees, 200); // ... in 2 s of both CPUs' time (1 s of wall clock)
    const [row] = source.sampleDetailed([target()], T + 1n).rows;
    expect(row?.cpuPercent).toBeCloseTo(20, 9);
  });
});

describe('cgroup v2 layouts (files written from the kernel docs)', () => {
  it('finds systemd and cgroupfs layouts and caps "max" at the host memory', () => {
    makeV2Host(trees);
    addV2Container(trees, 'limited', `system.slice/docker-${ID}.scope`);
    addV2Container(trees, 'unlimited', `docker/${OTHER}`);
    const source = new CgroupStatsSource(trees);
    expect(source.kind).toBe('cgroup-v2');
    const { rows } = source.sampleDetailed([target(), target({ id: OTHER })], T);
    expect(rows.map((r) => [r.containerId, r.memoryLimitBytes, r.cpuLimitCores])).toEqual([
      [ID, 67108864, 0.2],
      [OTHER, HOST_MEMORY, null],
    ]);
  });

  it('finds a container under another cgroup parent through /proc/<pid>/cgroup, and reads its network', () => {
    makeV2Host(trees);
    addV2Container(trees, 'oom-killed', 'custom.slice/app-1');
    addProcess(trees, 4242, '0::/custom.slice/app-1\n');
    const [row] = new CgroupStatsSource(trees).sampleDetailed([target({ pid: 4242, hostNetwork: false })], T).rows;
    expect(row).toMatchObject({ memoryOomKills: 3, netRxBytes: 843293042, netTxBytes: 2021800 });
  });
});

describe('container lifecycle', () => {
  beforeEach(() => {
    makeV2Host(trees);
  });

  it('returns targets it cannot find as unresolved, for the fallback source', () => {
    const { rows, unresolved } = new CgroupStatsSource(trees).sampleDetailed([target()], T);
    expect(rows).toEqual([]);
    expect(unresolved).toEqual([target()]);
  });

  it('stays quiet about a container whose files vanished (it is ending)', () => {
    const dir = addV2Container(trees, 'limited', `docker/${ID}`);
    // No kept descriptors: tmpfs keeps an unlinked file readable, where cgroupfs answers ENODEV.
    const source = new CgroupStatsSource({ ...trees, maxOpenFiles: 0 });
    expect(source.sampleDetailed([target()], T).rows).toHaveLength(1);
    rmSync(dir, { recursive: true });
    expect(source.sampleDetailed([target()], T + 1n)).toEqual({ rows: [], unresolved: [] });
    expect(source.sampleDetailed([target()], T + 2n)).toEqual({ rows: [], unresolved: [] });
  });

  it('closes the files of targets that are gone and starts CPU % afresh after a restart (new pid)', () => {
    addV2Container(trees, 'limited', `docker/${ID}`);
    addProcess(trees, 10, `0::/docker/${ID}\n`);
    addProcess(trees, 11, `0::/docker/${ID}\n`);
    const source = new CgroupStatsSource(trees);
    source.sampleDetailed([target({ pid: 10 })], T);
    expect(source.openFiles).toBeGreaterThan(10);
    advanceHostClock(trees, 100);
    expect(source.sampleDetailed([target({ pid: 10 })], T + 1n).rows[0]?.cpuPercent).toBe(0);
    expect(source.sampleDetailed([target({ pid: 11 })], T + 2n).rows[0]?.cpuPercent).toBeNull();
    source.sampleDetailed([], T + 3n);
    expect(source.openFiles).toBe(2); // /proc/stat and /proc/meminfo
  });

  it('refuses a root without any hierarchy, naming it', () => {
    rmSync(join(trees.cgroupRoot, 'cgroup.controllers'));
    expect(() => new CgroupStatsSource(trees)).toThrow(/cgroupRoot ".*" holds no cgroup v1 or v2 hierarchy/);
  });
});
