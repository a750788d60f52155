/**
 * start(): the official OpenTelemetry NodeSDK, given our resource, our bounded and counted export
 * pipelines (spans, logs, metrics), a chosen set of auto-instrumentations with the runtime and
 * process metrics, and the process hooks for a flushed exit.
 */
import { DiagConsoleLogger, diag } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { resolveConfig } from './config.js';
import { registerEsmHook } from './esm-hook.js';
import { metricPipeline } from './export/metric-pipeline.js';
import { logPipeline, spanPipeline, type ExportTarget, type Pipeline } from './export/pipeline.js';
import { SelfLog } from './export/self-log.js';
import { currentSdk, emptyStats, setCurrentSdk, type TracedockSdk } from './handle.js';
import { createInstrumentations, hookedModuleNames } from './instrumentations.js';
import { silenceOtherInstrumentationMetrics } from './metrics/instrumentation-meters.js';
import type { ResolvedConfig, ResolvedQueue, TracedockOptions } from './options.js';
import { createPropagator } from './propagator.js';
import { buildResource, resourceAttributes } from './resource.js';
import { createSampler } from './sampler.js';
import { installProcessHooks, withTimeout } from './shutdown.js';

function disabledSdk(): TracedockSdk {
  return { shutdown: async () => {}, forceFlush: async () => {}, stats: emptyStats, resource: {} };
}

function exportTarget(url: string, config: ResolvedConfig, queue: ResolvedQueue): ExportTarget {
  return { url, headers: config.headers, otlpTimeoutMillis: config.otlpTimeoutMillis, queue };
}

function unconfirmed(pipeline: Pipeline<unknown> | undefined): number {
  if (pipeline === undefined) return 0;
  const { queued, inFlight } = pipeline.counter.snapshot();
  return queued + inFlight;
}

/**
 * Starts tracing, log export, runtime metrics and container identity for this process. Call it
 * before the app loads the modules it wants traced (express, pg, pino ...): in an ES module app
 * that means a separate file loaded with `node --import`, or `node --import @tracedock/sdk/register`.
 * A second call returns the running SDK. Throws ConfigError on an invalid option or env value.
 * @example
 * import { start } from '@tracedock/sdk';
 * const sdk = start({ serviceName: 'orders' });
 */
export function start(options?: TracedockOptions): TracedockSdk {
  const running = currentSdk();
  if (running !== undefined) {
    if (options !== undefined && Object.keys(options).length > 0) {
      new SelfLog('sdk').once('started', 'start() was called again; the SDK already runs and the new options are ignored');
    }
    return running;
  }
  const config = resolveConfig(options);
  if (config.disabled) {
    const sdk = disabledSdk();
    setCurrentSdk(sdk);
    return sdk;
  }
  if (config.diagLogLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(config.diagLogLevel) });
  const instrumentations = createInstrumentations(config);
  registerEsmHook(hookedModuleNames(instrumentations));

  const attributes = resourceAttributes(config);
  const spans = config.tracesUrl === null ? undefined : spanPipeline(exportTarget(config.tracesUrl, config, config.spanQueue));
  const logs = config.logsUrl === null ? undefined : logPipeline(exportTarget(config.logsUrl, config, config.logQueue));
  const metrics = config.metrics === null ? undefined : metricPipeline({ ...config.metrics, headers: config.headers, otlpTimeoutMillis: config.otlpTimeoutMillis });
  const nodeSdk = new NodeSDK({
    resource: buildResource(attributes),
    autoDetectResources: false,
    instrumentations,
    // Spans are still made when not exported: propagation and log correlation need them.
    spanProcessors: [spans?.processor ?? new NoopSpanProcessor()],
    logRecordProcessors: logs === undefined ? [] : [logs.processor],
    metricReaders: metrics === undefined ? [] : [metrics.reader],
    sampler: createSampler(config.sampler, config.samplerRatio),
    textMapPropagator: createPropagator(config.propagators),
  });
  nodeSdk.start();
  if (metrics !== undefined) silenceOtherInstrumentationMetrics(instrumentations);

  let stopping: Promise<void> | undefined;
  let uninstallHooks = (): void => {};
  const sdk: TracedockSdk = {
    resource: Object.freeze({ ...attributes }),
    stats: () => ({
      spans: spans?.counter.snapshot() ?? emptyStats().spans,
      logs: logs?.counter.snapshot() ?? emptyStats().logs,
      metrics: metrics?.counter.snapshot() ?? emptyStats().metrics,
    }),
    forceFlush: async () => {
      await Promise.all([spans?.processor.forceFlush(), logs?.processor.forceFlush(), metrics?.reader.forceFlush()]).catch(() => undefined);
    },
    shutdown: () => {
      stopping ??= (async () => {
        uninstallHooks();
        const deadline = Date.now() + config.shutdownTimeoutMillis;
        spans?.beginShutdown(deadline);
        logs?.beginShutdown(deadline);
        const outcome = await withTimeout(nodeSdk.shutdown(), config.shutdownTimeoutMillis);
        if (outcome === 'timeout') {
          const lastMetrics = metrics !== undefined && metrics.counter.snapshot().inFlight > 0 ? '; the last metrics export had not finished' : '';
          const left = `${unconfirmed(spans)} spans and ${unconfirmed(logs)} log records were not confirmed${lastMetrics}`;
          new SelfLog('sdk').once('shutdown', `shutdown stopped flushing after ${config.shutdownTimeoutMillis} ms; ${left}`);
        }
      })();
      return stopping;
    },
  };
  if (config.handleSignals) uninstallHooks = installProcessHooks(sdk.shutdown);
  setCurrentSdk(sdk);
  return sdk;
}
