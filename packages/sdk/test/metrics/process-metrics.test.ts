import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpuUtilization, ProcessMetricsInstrumentation } from '../../src/metrics/process-metrics.ts';

/**
 * process.cpu.time, process.cpu.utilization and process.memory.usage, read by a real MeterProvider
 * (OpenTelemetry's sdk-metrics) at collection time: named, typed and with units as the process
 * semantic conventions say, values that match the process, and nothing while disabled.
 */

/** A reader that collects only when the test asks (no timer). */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function collect(reader: MetricReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return new Map(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Spends CPU in this process (the measured one), so that its user time moves. */
function busyMillis(millis: number): void {
  const end = performance.now() + millis;
  while (performance.now() < end) Math.sqrt(Math.random());
}

function setUp(): { reader: OnDemandReader; instrumentation: ProcessMetricsInstrumentation; provider: MeterProvider } {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const instrumentation = new ProcessMetricsInstrumentation();
  instrumentation.setMeterProvider(provider);
  instrumentation.enable();
  return { reader, instrumentation, provider };
}

describe('cpuUtilization', () => {
  it('is CPU time over elapsed time and the CPUs available', () => {
    expect(cpuUtilization(1_000, 501_000, 1_000_000, 1)).toBe(0.5);
    expect(cpuUtilization(0, 1_000_000, 1_000_000, 4)).toBe(0.25);
    expect(cpuUtilization(0, 100, 0, 2)).toBe(0);
    expect(cpuUtilization(500, 400, 1_000, 1)).toBe(0);
  });
});

describe('ProcessMetricsInstrumentation', () => {
  it('reports CPU time per mode, CPU utilization and RSS with semantic-convention names and units', async () => {
    const { reader, provider } = setUp();
    busyMillis(50);
    const metrics = await collect(reader);
    const cpuTime = metrics.get('process.cpu.time');
    const utilization = metrics.get('process.cpu.utilization');
    const memory = metrics.get('process.memory.usage');
    expect(cpuTime?.descriptor).toMatchObject({ unit: 's', type: 'OBSERVABLE_COUNTER' });
    expect(utilization?.descriptor).toMatchObject({ unit: '1', type: 'OBSERVABLE_GAUGE' });
    expect(memory?.descriptor).toMatchObject({ unit: 'By', type: 'OBSERVABLE_UP_DOWN_COUNTER' });
    expect(cpuTime?.dataPoints.map((p) => p.attributes['cpu.mode']).sort()).toEqual(['system', 'user']);

    const user = cpuTime?.dataPoints.find((p) => p.attributes['cpu.mode'] === 'user')?.value as number;
    expect(user).toBeGreaterThan(0.05);
    expect(user).toBeLessThanOrEqual(process.cpuUsage().user / 1e6);
    const userShare = utilization?.dataPoints.find((p) => p.attributes['cpu.mode'] === 'user')?.value as number;
    expect(userShare).toBeGreaterThan(0);
    expect(userShare).toBeLessThanOrEqual(1);
    const rss = memory?.dataPoints[0]?.value as number;
    expect(Number.isInteger(rss)).toBe(true);
    expect(Math.abs(rss - process.memoryUsage.rss())).toBeLessThan(64 * 1024 * 1024);
    await provider.shutdown();
  });

  it('measures utilization since the previous collection, per CPU available', async () => {
    // The clock and the CPU counters are the test's, so the figures are exact, not timing.
    let nowMillis = 1_000;
    let usage = { user: 5_000_000, system: 1_000_000 };
    vi.spyOn(performance, 'now').mockImplementation(() => nowMillis);
    vi.spyOn(process, 'cpuUsage').mockImplementation(() => ({ ...usage }));
    const { reader, provider } = setUp();
    const userShare = async (): Promise<number> =>
      (await collect(reader)).get('process.cpu.utilization')?.dataPoints.find((p) => p.attributes['cpu.mode'] === 'user')?.value as number;
    await collect(reader);
    // 200 ms of user CPU over 200 ms: one CPU busy; then 200 ms with none.
    nowMillis += 200;
    usage = { user: usage.user + 200_000, system: usage.system };
    expect(await userShare()).toBeCloseTo(1 / availableParallelism(), 12);
    nowMillis += 200;
    expect(await userShare()).toBe(0);
    // Half a CPU's worth since the previous collection, not since the start.
    nowMillis += 400;
    usage = { user: usage.user + 200_000, system: usage.system };
    expect(await userShare()).toBeCloseTo(0.5 / availableParallelism(), 12);
    await provider.shutdown();
  });

  it('observes nothing while disabled', async () => {
    const { reader, instrumentation, provider } = setUp();
    instrumentation.disable();
    const metrics = await collect(reader);
    expect(metrics.get('process.cpu.time')?.dataPoints ?? []).toEqual([]);
    await provider.shutdown();
  });

  it('moves its callback to a new provider instead of observing twice', async () => {
    const first = setUp();
    const second = new OnDemandReader();
    const provider = new MeterProvider({ readers: [second] });
    first.instrumentation.setMeterProvider(provider);
    expect((await collect(first.reader)).get('process.cpu.time')?.dataPoints ?? []).toEqual([]);
    expect((await collect(second)).get('process.cpu.time')?.dataPoints).toHaveLength(2);
    await Promise.all([first.provider.shutdown(), provider.shutdown()]);
  });
});
