/**
 * The public surface of @tracedock/collector.
 * @example
 * import { Collector, loadConfig } from '@tracedock/collector';
 * const collector = new Collector(loadConfig({ dataDir: ':memory:' }, process.env));
 * await collector.start();
 */
export { Collector } from './collector.js';
export type { CollectorAddresses, CollectorDeps } from './collector.js';
export { loadConfig, DEFAULT_CONFIG } from './config.js';
export type { CollectorConfig, CollectorOptions } from './config.js';
export type { Correlator } from './pipeline/Correlator.js';
export type { Store, WriteResult } from './store/Store.js';
export type { LogRow, SpanRow } from './model/rows.js';
