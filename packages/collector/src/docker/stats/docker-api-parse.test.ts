import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDockerStats, rfc3339ToNs } from './docker-api-parse.js';

const text = (name: string): string => readFileSync(new URL(`./fixtures/docker-api/${name}`, import.meta.url), 'utf8');
const json = (name: string): unknown => JSON.parse(text(name));

function sampleOf(payload: unknown) {
  const parsed = parseDockerStats(payload);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.sample;
}

describe('Docker stats API messages, cgroup v1 (recorded from this daemon, API 1.41)', () => {
  const stream = text('v1-burner-stream.jsonl').trim().split('\n').map((line): unknown => JSON.parse(line));

  it('gives no CPU % for the first message of a stream (empty precpu_stats)', () => {
    expect(sampleOf(stream[0])).toMatchObject({
      timeNs: 1795638255947132247n,
      cpuPercent: null,
      cpuThrottledMs: 20963.526487,
      cpuPeriods: 299,
      cpuThrottledPeriods: 298,
      memoryBytes: 233472,
      memoryLimitBytes: 67108864,
      memoryFailcnt: 0,
      netRxBytes: null,
      netTxBytes: null,
      blkReadBytes: 0,
      blkWriteBytes: 0,
      pids: 1,
      cpuLimitCores: null,
      memoryOomKills: null,
      cpuPressureSomeMs: null,
    });
  });

  it('computes CPU % from precpu_stats to cpu_stats like the CLI: the --cpus 0.2 burner at ~20%', () => {
    const second = sampleOf(stream[1]);
    // (6211456227 - 6011049506) / (5123070000000 - 5121080000000) * 2 CPUs * 100
    expect(second.cpuPercent).toBeCloseTo(((6211456227 - 6011049506) / 1990000000) * 2 * 100, 9);
    for (const message of stream.slice(1)) expect(sampleOf(message).cpuPercent).toBeGreaterThan(19);
    for (const message of stream.slice(1)) expect(sampleOf(message).cpuPercent).toBeLessThan(21);
  });

  it('reads a one-shot (stream=false) answer with its previous sample', () => {
    expect(sampleOf(json('v1-shm-holder.json'))).toMatchObject({
      cpuPercent: 0, memoryBytes: 30298112, memoryLimitBytes: 134217728, pids: 1,
    });
    expect(sampleOf(json('v1-oom-loop.json'))).toMatchObject({
      cpuPercent: (49217427 / 1990000000) * 2 * 100, memoryBytes: 606208, memoryLimitBytes: 33554432, pids: 2,
    });
  });
});

// Constructed from the API reference's example and its list of cgroup v2 differences
// (fixtures/README.md): this CI daemon runs on cgroup v1.
describe('Docker stats API messages, cgroup v2 (constructed from the API reference)', () => {
  it('reads v2 keys: inactive_file, lowercase read/write blkio ops, no percpu, networks summed', () => {
    expect(sampleOf(json('v2-limited.json'))).toEqual({
      timeNs: 1795638601123456789n,
      cpuPercent: 20,
      cpuThrottledMs: 20963.526,
      cpuPeriods: 299,
      cpuThrottledPeriods: 298,
      cpuLimitCores: null,
      memoryBytes: 25165824 - 12582912,
      memoryLimitBytes: 67108864,
      memoryFailcnt: 0,
      memoryOomKills: null,
      netRxBytes: 5338 + 4641,
      netTxBytes: 648 + 690,
      blkReadBytes: 1459200 + 90430464,
      blkWriteBytes: 314773504 + 299008000,
      pids: 3,
      cpuPressureSomeMs: null,
      cpuPressureFullMs: null,
      memoryPressureSomeMs: null,
      memoryPressureFullMs: null,
      ioPressureSomeMs: null,
      ioPressureFullMs: null,
    });
  });
});

describe('checking the payload', () => {
  it('refuses a payload of the wrong shape, naming the field', () => {
    const parsed = parseDockerStats({ read: '2026-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: 'many' } } });
    expect(parsed).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringMatching(/cpu_stats\.cpu_usage\.total_usage/) });
    expect(parseDockerStats('nope')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('treats the zero time of a stopped container as no sample', () => {
    expect(parseDockerStats({ read: '0001-01-01T00:00:00Z', memory_stats: {} })).toMatchObject({ ok: false, reason: 'no-sample' });
  });

  it('parses RFC 3339 times to the nanosecond', () => {
    expect(rfc3339ToNs('1970-01-01T00:00:01.000000001Z')).toBe(1_000_000_001n);
    expect(rfc3339ToNs('1970-01-01T01:00:00.5+01:00')).toBe(500_000_000n);
    expect(rfc3339ToNs('yesterday')).toBeNull();
  });
});
