import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { V1Dirs } from './cgroup-layout.js';
import { readCgroupV1 } from './cgroup-v1.js';
import { readCgroupV2 } from './cgroup-v2.js';
import { isGone } from './kernel-files.js';
import {
  parseBlkioServiceBytes,
  parseCpuMax,
  parseFlatKeyed,
  parseIoStat,
  parseMemoryLimit,
  parsePressure,
} from './parse-cgroup.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function read(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

function v1Dirs(name: string): V1Dirs {
  const dir = (controller: string): string => `${FIXTURES}cgroup-v1/${name}/${controller}`;
  return {
    cpu: dir('cpu'), cpuacct: dir('cpuacct'), memory: dir('memory'), blkio: dir('blkio'), pids: dir('pids'),
    unified: dir('unified'),
  };
}

describe('cgroup v1 files (recorded on this CI host)', () => {
  it('reads a CPU-limited burner: usage, throttling, quota, PSI of the hybrid hierarchy', () => {
    const reading = readCgroupV1(v1Dirs('burner'), read);
    expect(reading).toEqual({
      cpuUsageNs: 5050567337,
      values: {
        cpuThrottledMs: 17602.742227,
        cpuPeriods: 251,
        cpuThrottledPeriods: 251,
        cpuLimitCores: 0.2,
        memoryBytes: 233472,
        memoryLimitBytes: 67108864,
        memoryFailcnt: 0,
        memoryOomKills: 0,
        blkReadBytes: 0,
        blkWriteBytes: 0,
        pids: 1,
        cpuPressureSomeMs: 14980.248,
        cpuPressureFullMs: 14976.427,
        memoryPressureSomeMs: 0,
        memoryPressureFullMs: 0,
        ioPressureSomeMs: 0,
        ioPressureFullMs: 0,
      },
    });
  });

  it('subtracts total_inactive_file from usage, as docker stats (792KiB) did', () => {
    const reading = readCgroupV1(v1Dirs('page-cache'), read);
    expect(reading?.values.memoryBytes).toBe(21782528 - 20971520);
    expect(reading?.values.memoryBytes).toBe(792 * 1024);
  });

  it('keeps shmem in memory (it is not inactive file cache) and reads no quota from -1', () => {
    const reading = readCgroupV1(v1Dirs('shm-holder'), read);
    expect(reading?.values).toMatchObject({ memoryBytes: 30298112, memoryLimitBytes: 134217728, cpuLimitCores: null });
  });

  it('counts OOM kills from memory.oom_control', () => {
    expect(readCgroupV1(v1Dirs('oom-loop'), read)?.values).toMatchObject({ memoryOomKills: 11, memoryFailcnt: 0 });
  });

  it('sums Read and Write over devices in blkio.throttle.io_service_bytes', () => {
    const text = readFileSync(`${FIXTURES}cgroup-v1/blkio-devices/blkio/blkio.throttle.io_service_bytes`, 'latin1');
    expect(parseBlkioServiceBytes(text)).toEqual({ readBytes: 1204224 + 65536, writeBytes: 4096 + 8192 });
  });

  it('is null when the container is gone, and leaves out controllers that are not mounted', () => {
    const gone = { ...v1Dirs('burner'), cpuacct: '/nonexistent', memory: '/nonexistent' };
    expect(readCgroupV1(gone, read)).toBeNull();
    const partial = readCgroupV1({ ...v1Dirs('burner'), blkio: null, pids: null, unified: null }, read);
    expect(partial?.values).toMatchObject({ blkReadBytes: null, pids: null, cpuPressureSomeMs: null, ioPressureFullMs: null });
  });

  it('treats the v1 "unlimited" value as no limit', () => {
    expect(parseMemoryLimit('9223372036854771712\n')).toBeNull();
  });
});

// This CI host runs cgroup v1 only: these files follow the kernel's documented v2 formats
// (fixtures/README.md), so the v2 path is tested on written files, not recorded ones.
describe('cgroup v2 files (written from Documentation/admin-guide/cgroup-v2.rst)', () => {
  const v2 = (name: string): string => `${FIXTURES}cgroup-v2/${name}`;

  it('reads a limited container: usage_usec, throttling, cpu.max, memory minus inactive_file, io.stat, PSI', () => {
    expect(readCgroupV2(v2('limited'), read)).toEqual({
      cpuUsageNs: 6011049000,
      values: {
        cpuThrottledMs: 20963.526,
        cpuPeriods: 299,
        cpuThrottledPeriods: 298,
        cpuLimitCores: 0.2,
        memoryBytes: 25165824 - 12582912,
        memoryLimitBytes: 67108864,
        memoryFailcnt: 0,
        memoryOomKills: 0,
        blkReadBytes: 1459200 + 90430464,
        blkWriteBytes: 314773504 + 299008000,
        pids: 3,
        cpuPressureSomeMs: 20871.234,
        cpuPressureFullMs: 20790.111,
        memoryPressureSomeMs: 1.52,
        memoryPressureFullMs: 1.377,
        ioPressureSomeMs: 88.172,
        ioPressureFullMs: 86.001,
      },
    });
  });

  it('reads OOM kills and oom (dockerd failcnt) from memory.events', () => {
    expect(readCgroupV2(v2('oom-killed'), read)?.values).toMatchObject({
      memoryFailcnt: 3, memoryOomKills: 3, memoryPressureSomeMs: 2750.113, memoryLimitBytes: 33554432, cpuLimitCores: null,
    });
  });

  it('reads "max" as no limit, an empty io.stat as zero bytes, and a cpu.pressure without full', () => {
    expect(readCgroupV2(v2('unlimited'), read)?.values).toMatchObject({
      cpuLimitCores: null, memoryLimitBytes: null, memoryBytes: 1052672 - 4096, blkReadBytes: 0, blkWriteBytes: 0,
      cpuPressureSomeMs: 0.21, cpuPressureFullMs: null,
    });
  });

  it('is null when the directory is gone', () => {
    expect(readCgroupV2(v2('removed'), read)).toBeNull();
  });
});

describe('cgroup file parsers', () => {
  it('parses flat-keyed files and skips malformed lines', () => {
    expect([...parseFlatKeyed('a 1\nb x\n\nc 3\nnospace\n')]).toEqual([['a', 1], ['c', 3]]);
  });

  it('parses cpu.max', () => {
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCpuMax('max 100000\n')).toBeNull();
  });

  it('parses io.stat with several devices and ignores unknown keys', () => {
    expect(parseIoStat('8:0 rbytes=1 wbytes=2 rios=3 cost.usage=7\n8:16 rbytes=10 wbytes=20\n')).toEqual({ readBytes: 11, writeBytes: 22 });
  });

  it('parses PSI totals', () => {
    expect(parsePressure('some avg10=0.00 avg60=0.00 avg300=0.00 total=5\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=4\n'))
      .toEqual({ someMicros: 5, fullMicros: 4 });
    expect(parsePressure('')).toEqual({ someMicros: null, fullMicros: null });
  });
});
