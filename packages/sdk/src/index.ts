/**
 * @tracedock/sdk: one line instruments a Node service with OpenTelemetry traces, correlated pino
 * logs, Node runtime metrics and its container identity. This file is the package's whole public surface.
 * @example
 * import { start, createLogger } from '@tracedock/sdk';
 * const sdk = start({ serviceName: 'orders' });
 * const log = createLogger();
 */
export { start } from './sdk.js';
export type { TracedockSdk } from './handle.js';
export { createLogger, DEFAULT_REDACT_PATHS } from './logger.js';
export { ConfigError } from './config-parse.js';
export { detectContainerId, containerIdFromProcFiles } from './container/detect.js';
export type { ProcFiles } from './container/detect.js';
export type { SdkStats, SignalStats } from './export/delivery-stats.js';
export type {
  DiagLevelName, ExpressLayers, PropagatorName, QueueOptions, ResourceAttributeValue, SamplerName, TracedockOptions,
} from './options.js';
