import type { MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.ts';
import { createInstrumentations } from '../../src/instrumentations.ts';
import { METRIC_SCOPES, silenceOtherInstrumentationMetrics } from '../../src/metrics/instrumentation-meters.ts';
import { PROCESS_METRICS_INSTRUMENTATION_NAME } from '../../src/metrics/process-metrics.ts';

/**
 * Which instrumentations record metrics: the runtime's and the process's when metrics are
 * exported, and no other (each other instrumentation gets a no-op meter).
 */

const RUNTIME = '@opentelemetry/instrumentation-runtime-node';

function stop(instrumentations: Instrumentation[]): void {
  for (const instrumentation of instrumentations) instrumentation.disable();
}

describe('the metric instrumentations', () => {
  it('are created when metrics are exported, with runtime-node at its monitoring precision', () => {
    const on = createInstrumentations(resolveConfig({ enabledInstrumentations: ['runtime-node', 'pg'] }, {}));
    try {
      expect(on.map((i) => i.instrumentationName).sort()).toEqual(['@opentelemetry/instrumentation-pg', RUNTIME, PROCESS_METRICS_INSTRUMENTATION_NAME]);
      expect(on.find((i) => i.instrumentationName === RUNTIME)?.getConfig()).toMatchObject({ monitoringPrecision: 20, enabled: true });
    } finally {
      stop(on);
    }
    const off = createInstrumentations(resolveConfig({ exportMetrics: false, enabledInstrumentations: ['pg'] }, {}));
    expect(off.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-pg']);
    stop(off);
  });

  it('a no-op meter goes to every other instrumentation', () => {
    const given = new Map<string, MeterProvider>();
    const fake = (name: string): Instrumentation =>
      ({ instrumentationName: name, setMeterProvider: (provider: MeterProvider) => given.set(name, provider) }) as unknown as Instrumentation;
    silenceOtherInstrumentationMetrics([fake(RUNTIME), fake(PROCESS_METRICS_INSTRUMENTATION_NAME), fake('@opentelemetry/instrumentation-undici')]);
    expect([...given.keys()]).toEqual(['@opentelemetry/instrumentation-undici']);
    expect(given.get('@opentelemetry/instrumentation-undici')).not.toBeInstanceOf(SdkMeterProvider);
    expect([...METRIC_SCOPES].sort()).toEqual([PROCESS_METRICS_INSTRUMENTATION_NAME, RUNTIME].sort());
  });
});
