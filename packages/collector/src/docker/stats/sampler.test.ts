import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerSampleRow } from '../../model/rows.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import { NO_PRESSURE } from './reading.js';
import { StatsSampler } from './sampler.js';
import type { SampleTarget, StatsSource } from './StatsSource.js';

const TARGET: SampleTarget = { id: 'c'.repeat(64), pid: 1, hostNetwork: true };

function row(timeNs: bigint): ContainerSampleRow {
  return {
    containerId: TARGET.id, timeNs, cpuPercent: 1, cpuThrottledMs: null, cpuPeriods: null, cpuThrottledPeriods: null,
    cpuLimitCores: null, memoryBytes: 1, memoryLimitBytes: null, memoryFailcnt: null, memoryOomKills: null,
    netRxBytes: null, netTxBytes: null, blkReadBytes: null, blkWriteBytes: null, pids: 1, ...NO_PRESSURE,
  };
}

class FakeSource implements StatsSource {
  readonly kind = 'cgroup-v1';
  calls = 0;
  shutdowns = 0;
  /** When set, sample() waits for it. */
  gate: Promise<void> | null = null;
  failWith: Error | null = null;

  async sample(_targets: readonly SampleTarget[], nowNs: bigint): Promise<ContainerSampleRow[]> {
    this.calls += 1;
    if (this.gate !== null) await this.gate;
    if (this.failWith !== null) throw this.failWith;
    return [row(nowNs)];
  }

  async shutdown(): Promise<void> {
    this.shutdowns += 1;
  }
}

function setup(source: StatsSource, write: (rows: ContainerSampleRow[]) => void = () => undefined) {
  const metrics = new MetricsRegistry();
  const logger = pino({ level: 'silent' });
  const warn = vi.spyOn(logger, 'warn');
  let now = 0n;
  const sampler = new StatsSampler({
    source, targets: () => [TARGET], write, intervalMillis: 1_000, metrics, logger, nowNs: () => (now += 1n),
  });
  return { sampler, metrics, warn };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StatsSampler', () => {
  it('samples at start and on every interval, handing rows to write', async () => {
    vi.useFakeTimers();
    const written: ContainerSampleRow[][] = [];
    const source = new FakeSource();
    const { sampler, metrics } = setup(source, (rows) => written.push(rows));
    sampler.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(source.calls).toBe(3);
    expect(written.map((rows) => rows[0]?.timeNs)).toEqual([1n, 2n, 3n]);
    expect(metrics.value('tracedock_stats_samples_total')).toBe(3);
    await sampler.shutdown();
  });

  it('skips a tick while the previous one still runs, and counts it', async () => {
    vi.useFakeTimers();
    const source = new FakeSource();
    let release = (): void => undefined;
    source.gate = new Promise((resolve) => {
      release = resolve;
    });
    const { sampler, metrics } = setup(source);
    sampler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(source.calls).toBe(1);
    expect(metrics.value('tracedock_stats_ticks_skipped_total')).toBe(3);
    release();
    source.gate = null;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(source.calls).toBe(2);
    await sampler.shutdown();
  });

  it('counts every failure and logs each kind once; never throws', async () => {
    vi.useFakeTimers();
    const source = new FakeSource();
    source.failWith = new Error('EACCES');
    const { sampler, metrics, warn } = setup(source, () => {
      throw new Error('queue closed');
    });
    sampler.start();
    await vi.advanceTimersByTimeAsync(2_000);
    source.failWith = null;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(metrics.value('tracedock_stats_errors_total', { kind: 'sample' })).toBe(3);
    expect(metrics.value('tracedock_stats_errors_total', { kind: 'write' })).toBe(2);
    expect(warn).toHaveBeenCalledTimes(2);
    await sampler.shutdown();
  });

  it('waits for a running tick on shutdown, closes the source once, and is safe to call twice', async () => {
    const source = new FakeSource();
    let release = (): void => undefined;
    source.gate = new Promise((resolve) => {
      release = resolve;
    });
    const { sampler } = setup(source);
    sampler.start();
    const first = sampler.shutdown();
    const second = sampler.shutdown();
    let done = false;
    void first.then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(source.shutdowns).toBe(1);
    sampler.start();
    expect(source.calls).toBe(1);
  });
});
