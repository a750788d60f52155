import { afterEach } from 'vitest';
import { Collector } from '../../src/collector.js';
import { loadConfig, type CollectorOptions } from '../../src/config.js';
import { DuckDbStore } from '../../src/store/duckdb/DuckDbStore.js';
import { silentLogger } from './logger.js';

export interface TestCollector {
  collector: Collector;
  /** The real in-memory DuckDB store the collector writes to, for reading back. */
  store: DuckDbStore;
  /** e.g. http://127.0.0.1:41234 */
  otlpHttpUrl: string;
  otlpGrpcAddress: string;
  uiUrl: string;
}

const running: Collector[] = [];

/** Each test's collectors are shut down after it, whatever happened. */
afterEach(async () => {
  await Promise.all(running.splice(0).map((collector) => collector.shutdown()));
});

/**
 * An in-process collector on ephemeral loopback ports with an in-memory DuckDB store, without
 * the Docker part unless a test asks for it (`dockerEnabled: true`).
 * @example const { otlpHttpUrl, store } = await startTestCollector({ queueMaxRows: 10, batchMaxRows: 10 });
 */
export async function startTestCollector(options: CollectorOptions = {}): Promise<TestCollector> {
  const config = loadConfig(
    {
      host: '127.0.0.1', otlpHttpPort: 0, otlpGrpcPort: 0, uiPort: 0, dataDir: ':memory:', batchMaxDelayMillis: 10, logLevel: 'silent',
      // The engine's other containers would feed their logs into the queue a test measures.
      dockerEnabled: false,
      ...options,
    },
    {},
  );
  const store = new DuckDbStore({ path: ':memory:' });
  const collector = new Collector(config, { store, logger: silentLogger });
  running.push(collector);
  await collector.start();
  const { otlpHttpUrl, otlpGrpcAddress, uiUrl } = collector.addresses();
  return { collector, store, otlpHttpUrl, otlpGrpcAddress, uiUrl };
}

/** Polls until `check` passes or fails with `what` after timeoutMillis. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMillis = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
