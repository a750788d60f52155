import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuPercent, effectiveMemoryLimitBytes, memoryWorkingSetBytes } from './docker-formulas.js';
import { parseMemTotalBytes, parseNetDev, parseProcCgroup, parseProcStat } from './parse-proc.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/proc/${name}`, import.meta.url), 'latin1');

describe('/proc parsers (files recorded on this CI host)', () => {
  it('computes system_cpu_usage and online_cpus as dockerd does', () => {
    // cpu  281455 0 49010 178008 2066 0 644 2361 0 0: the first seven fields, 1/100 s each.
    const ticks = 281455 + 0 + 49010 + 178008 + 2066 + 0 + 644;
    expect(parseProcStat(fixture('stat'))).toEqual({ systemNs: ticks * 1e7, onlineCpus: 2 });
  });

  it('rejects a /proc/stat without a cpu line', () => {
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
  });

  it('reads MemTotal in bytes', () => {
    const kib = Number(/MemTotal:\s+(\d+)/.exec(fixture('meminfo'))?.[1]);
    expect(parseMemTotalBytes(fixture('meminfo'))).toBe(kib * 1024);
  });

  it('sums every interface but loopback in net/dev', () => {
    expect(parseNetDev(fixture('net-dev-host'))).toEqual({ rxBytes: 843293042, txBytes: 2021800 });
  });

  it('reads v1 and v2 paths from /proc/<pid>/cgroup', () => {
    const parsed = parseProcCgroup('12:pids:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n0::/system.slice/docker-abc.scope\n');
    expect(parsed.unified).toBe('/system.slice/docker-abc.scope');
    expect(Object.fromEntries(parsed.v1)).toEqual({
      pids: '/docker/abc', cpu: '/docker/abc', cpuacct: '/docker/abc', 'name=systemd': '/docker/abc',
    });
  });
});

describe('docker stats arithmetic', () => {
  it('computes CPU % like the CLI and null where the CLI would print a meaningless 0', () => {
    const before = { containerNs: 634735416, systemNs: 5067680000000, onlineCpus: 2 };
    const after = { containerNs: 841363562, systemNs: 5069680000000, onlineCpus: 2 };
    expect(cpuPercent(before, after)).toBeCloseTo(20.66, 2);
    expect(cpuPercent(null, after)).toBeNull();
    expect(cpuPercent(after, before)).toBeNull();
    expect(cpuPercent(after, after)).toBeNull();
    expect(cpuPercent(before, { ...before, systemNs: before.systemNs + 1e9 })).toBe(0);
  });

  it('subtracts total_inactive_file on v1 and inactive_file on v2, never below zero', () => {
    expect(memoryWorkingSetBytes(1000, new Map([['total_inactive_file', 300], ['inactive_file', 100]]))).toBe(700);
    expect(memoryWorkingSetBytes(1000, new Map([['inactive_file', 100]]))).toBe(900);
    expect(memoryWorkingSetBytes(1000, new Map([['inactive_file', 2000]]))).toBe(1000);
  });

  it('caps the limit at the machine memory, as dockerd does', () => {
    expect(effectiveMemoryLimitBytes(null, 8e9)).toBe(8e9);
    expect(effectiveMemoryLimitBytes(64e6, 8e9)).toBe(64e6);
    expect(effectiveMemoryLimitBytes(1e12, 8e9)).toBe(8e9);
    expect(effectiveMemoryLimitBytes(64e6, null)).toBe(64e6);
  });
});
