/**
 * Which instrumentations may record metrics. Once a meter provider exists, every OpenTelemetry
 * instrumentation records its own: undici a duration histogram per fetch, pg per query, and so on,
 * each a cost on the request path. The SDK exports the runtime's and the process's metrics only
 * (collected on the reader's interval, off the request path), so the others get a no-op meter,
 * as they had before metrics were exported at all.
 */
import { createNoopMeter, type MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { INSTRUMENTATION_PREFIX, METRICS_INSTRUMENTATIONS } from '../instrumentation-names.js';
import { PROCESS_METRICS_INSTRUMENTATION_NAME } from './process-metrics.js';

const NOOP_METER_PROVIDER: MeterProvider = { getMeter: () => createNoopMeter() };

/** Instrumentation scope names whose metrics are exported. */
export const METRIC_SCOPES: ReadonlySet<string> = new Set([
  PROCESS_METRICS_INSTRUMENTATION_NAME,
  ...METRICS_INSTRUMENTATIONS.map((name) => `${INSTRUMENTATION_PREFIX}${name}`),
]);

/** Call after NodeSDK.start(), which hands its meter provider to every instrumentation. */
export function silenceOtherInstrumentationMetrics(instrumentations: readonly Instrumentation[]): void {
  for (const instrumentation of instrumentations) {
    if (!METRIC_SCOPES.has(instrumentation.instrumentationName)) instrumentation.setMeterProvider(NOOP_METER_PROVIDER);
  }
}
