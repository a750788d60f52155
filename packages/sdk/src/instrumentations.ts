/**
 * The instrumentations of @opentelemetry/auto-instrumentations-node, chosen and configured for low
 * overhead and low noise. Each enabled one is loaded from the meta-package's own dependencies (so
 * versions stay the ones it was released with), but the meta-package's entry point is not: it
 * imports all ~40 instrumentations and every cloud resource detector, which measured ~1.2 s and
 * ~35 MB at start-up against ~0.3 s for the instrumentations alone.
 *
 * `http` is the exception: tracedock's own lean instrumentation (http/instrumentation.ts) makes
 * the same spans at a fraction of the official one's cost. A service that configures
 * `@opentelemetry/instrumentation-http` (hooks, header capture ...) gets the official one, so
 * that every option it documents keeps working.
 */
import type { InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createRequire } from 'node:module';
import { SelfLog } from './export/self-log.js';
import { LeanHttpInstrumentation } from './http/instrumentation.js';
import { INSTRUMENTATION_CLASSES, INSTRUMENTATION_PREFIX, type InstrumentationName } from './instrumentation-names.js';
import { ProcessMetricsInstrumentation } from './metrics/process-metrics.js';
import type { ExpressLayers, ResolvedConfig } from './options.js';

/**
 * How often Node's event-loop delay histogram samples (perf_hooks.monitorEventLoopDelay's
 * resolution), and the floor of what it reports: each sample is the whole time between two timer
 * callbacks, so an idle loop reads ~20 ms and one blocked for 100 ms ~120 ms. Each sample wakes an
 * idle process (~60 µs of CPU on a 2-core VM, kernel included): runtime-node's default of 10 ms
 * measured 0.55% of a core for an idle service, 20 ms 0.33%, 50 ms 0.13%. 20 ms halves that
 * while keeping 500 samples per 10 s export for the percentiles and a floor that reads as small.
 */
const EVENT_LOOP_MONITORING_PRECISION_MILLIS = 20;

const EXPRESS_IGNORED_LAYERS: Record<ExpressLayers, string[]> = {
  none: ['router', 'middleware', 'request_handler'],
  handlers: ['router', 'middleware'],
  all: [],
};

type InstrumentationClass = new (config: Record<string, unknown>) => Instrumentation;

/** The config each enabled instrumentation is constructed with: our defaults, then the caller's. */
export function instrumentationConfig(name: InstrumentationName, config: ResolvedConfig): Record<string, unknown> {
  const defaults: Record<string, unknown> =
    name === 'express'
      ? { ignoreLayersType: EXPRESS_IGNORED_LAYERS[config.expressLayers] }
      : name === 'runtime-node'
        ? { monitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MILLIS }
        : {};
  const key = `${INSTRUMENTATION_PREFIX}${name}` as keyof InstrumentationConfigMap;
  return { ...defaults, ...(config.instrumentationConfig[key] as Record<string, unknown> | undefined), enabled: true };
}

/** Whether the official HTTP instrumentation is asked for: any of its own options is set. */
export function wantsOfficialHttp(config: ResolvedConfig): boolean {
  const own = config.instrumentationConfig[`${INSTRUMENTATION_PREFIX}http` as keyof InstrumentationConfigMap] as Record<string, unknown> | undefined;
  return own !== undefined && Object.keys(own).some((key) => key !== 'enabled');
}

function requireFromMetaPackage(): NodeJS.Require {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('@opentelemetry/auto-instrumentations-node'));
}

function loadClass(load: NodeJS.Require, name: InstrumentationName): InstrumentationClass {
  const exported: unknown = (load(`${INSTRUMENTATION_PREFIX}${name}`) as Record<string, unknown>)[INSTRUMENTATION_CLASSES[name]];
  if (typeof exported !== 'function') throw new Error(`${INSTRUMENTATION_PREFIX}${name} has no ${INSTRUMENTATION_CLASSES[name]}`);
  return exported as InstrumentationClass;
}

/**
 * Constructs the enabled instrumentations, and the process metrics when metrics are exported; one
 * that fails to load is left out (and said once), never fatal.
 */
export function createInstrumentations(config: ResolvedConfig, log = new SelfLog('spans')): Instrumentation[] {
  const load = requireFromMetaPackage();
  const result: Instrumentation[] = config.metrics === null ? [] : [new ProcessMetricsInstrumentation()];
  for (const name of config.instrumentations.enabled) {
    try {
      if (name === 'http' && !wantsOfficialHttp(config)) {
        result.push(new LeanHttpInstrumentation());
        continue;
      }
      const Instrumentation = loadClass(load, name);
      result.push(new Instrumentation(instrumentationConfig(name, config)));
    } catch (error) {
      log.once(`load-${name}`, `instrumentation ${name} not loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

/** The module names the instrumentations hook, for the ESM loader's include list. */
export function hookedModuleNames(instrumentations: readonly Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const instrumentation of instrumentations) {
    const definitions = (instrumentation as { getModuleDefinitions?: () => ReadonlyArray<{ name: string }> }).getModuleDefinitions?.() ?? [];
    for (const { name } of definitions) names.add(name);
  }
  return [...names];
}
