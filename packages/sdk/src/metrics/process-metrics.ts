/**
 * The process's own CPU and memory, as OpenTelemetry's process semantic conventions name them:
 *   process.cpu.time         observable counter, s, per cpu.mode (user, system)
 *   process.cpu.utilization  observable gauge, 1, per cpu.mode: the CPU time since the previous
 *                            collection / (elapsed time x the CPUs available to the process)
 *   process.memory.usage     observable up-down counter, By: resident set size
 * Read from process.cpuUsage() and process.memoryUsage.rss() when the reader collects, and only
 * then: no timer of its own, nothing on the request path. The Node runtime's metrics (event loop,
 * heap, GC) come from @opentelemetry/instrumentation-runtime-node beside it.
 */
import { ValueType, type BatchObservableCallback, type Meter, type MeterProvider } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

export const PROCESS_METRICS_INSTRUMENTATION_NAME = '@tracedock/sdk/instrumentation-process';
const VERSION = '0.1.0';
const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MILLI = 1_000;
const USER = { 'cpu.mode': 'user' } as const;
const SYSTEM = { 'cpu.mode': 'system' } as const;

/**
 * CPU used between two samples as a share of the CPUs the process may run on (0..1); 0 when no
 * time passed. `availableParallelism` counts the CPUs of the process's affinity mask, not a
 * container's CPU quota: a service limited to half a core of a 4-core host reads at most 0.125.
 */
export function cpuUtilization(previousMicros: number, currentMicros: number, elapsedMicros: number, cpuCount: number): number {
  if (elapsedMicros <= 0 || cpuCount <= 0) return 0;
  return Math.max(0, (currentMicros - previousMicros) / (elapsedMicros * cpuCount));
}

interface CpuSample {
  usage: NodeJS.CpuUsage;
  atMicros: number;
}

function sampleCpu(): CpuSample {
  return { usage: process.cpuUsage(), atMicros: performance.now() * MICROS_PER_MILLI };
}

export class ProcessMetricsInstrumentation implements Instrumentation {
  readonly instrumentationName = PROCESS_METRICS_INSTRUMENTATION_NAME;
  readonly instrumentationVersion = VERSION;
  readonly #cpuCount = availableParallelism();
  #config: InstrumentationConfig = { enabled: false };
  #registered: { meter: Meter; callback: BatchObservableCallback; instruments: Parameters<Meter['addBatchObservableCallback']>[1] } | undefined;
  /** The previous collection's CPU reading; utilization is the change since it. */
  #last: CpuSample = sampleCpu();

  enable(): void {
    if (this.#config.enabled === true) return;
    this.#config = { ...this.#config, enabled: true };
    this.#last = sampleCpu();
  }

  disable(): void {
    this.#config = { ...this.#config, enabled: false };
  }

  setTracerProvider(): void {}

  /** Called by the NodeSDK with the provider whose reader exports; instruments move to its meter. */
  setMeterProvider(provider: MeterProvider): void {
    if (this.#registered !== undefined) {
      this.#registered.meter.removeBatchObservableCallback(this.#registered.callback, this.#registered.instruments);
    }
    const meter = provider.getMeter(PROCESS_METRICS_INSTRUMENTATION_NAME, VERSION);
    const cpuTime = meter.createObservableCounter('process.cpu.time', { description: 'Total CPU seconds broken down by CPU mode.', unit: 's', valueType: ValueType.DOUBLE });
    const cpuShare = meter.createObservableGauge('process.cpu.utilization', {
      description: 'CPU time since the last measurement, divided by the elapsed time and the number of CPUs available to the process.',
      unit: '1',
      valueType: ValueType.DOUBLE,
    });
    const memory = meter.createObservableUpDownCounter('process.memory.usage', { description: 'The amount of physical memory in use (resident set size).', unit: 'By', valueType: ValueType.INT });
    const callback: BatchObservableCallback = (result) => {
      if (this.#config.enabled !== true) return;
      const now = sampleCpu();
      const elapsedMicros = now.atMicros - this.#last.atMicros;
      result.observe(cpuTime, now.usage.user / MICROS_PER_SECOND, USER);
      result.observe(cpuTime, now.usage.system / MICROS_PER_SECOND, SYSTEM);
      result.observe(cpuShare, cpuUtilization(this.#last.usage.user, now.usage.user, elapsedMicros, this.#cpuCount), USER);
      result.observe(cpuShare, cpuUtilization(this.#last.usage.system, now.usage.system, elapsedMicros, this.#cpuCount), SYSTEM);
      result.observe(memory, process.memoryUsage.rss());
      this.#last = now;
    };
    const instruments = [cpuTime, cpuShare, memory];
    meter.addBatchObservableCallback(callback, instruments);
    this.#registered = { meter, callback, instruments };
  }

  setConfig(config: InstrumentationConfig): void {
    this.#config = { ...config, enabled: this.#config.enabled };
  }

  getConfig(): InstrumentationConfig {
    return this.#config;
  }
}
