/** What start() returns, and the registry that keeps it once per process. */
import type { SdkStats, SignalStats } from './export/delivery-stats.js';
import type { ResourceAttributeValue } from './options.js';

export interface TracedockSdk {
  /**
   * Flushes queued spans and log records and stops, within shutdownTimeoutMillis; never rejects.
   * Safe to call more than once (later calls return the first call's promise).
   * @example process.on('SIGTERM', () => server.close(() => void sdk.shutdown().then(() => process.exit(0))));
   */
  shutdown(): Promise<void>;
  /** Exports what is queued now, and the metrics as they are now (e.g. before a test asserts or a short job exits). */
  forceFlush(): Promise<void>;
  /** Delivery counters per signal: accepted, exported, dropped (queue full / export failed), queued, in flight (metrics: per collection). */
  stats(): SdkStats;
  /** The resource attributes every span, log record and metric carries (service.name, host.name, container.id ...). */
  readonly resource: Readonly<Record<string, ResourceAttributeValue>>;
}

const EMPTY: SignalStats = { accepted: 0, exported: 0, dropped: 0, droppedQueueFull: 0, droppedExportFailed: 0, queued: 0, inFlight: 0, retries: 0 };

export function emptyStats(): SdkStats {
  return { spans: { ...EMPTY }, logs: { ...EMPTY }, metrics: { ...EMPTY } };
}

/** A symbol on globalThis, not a module variable: a second copy of the package in node_modules must see the first start(). */
const CURRENT = Symbol.for('@tracedock/sdk.current');

export function currentSdk(): TracedockSdk | undefined {
  return (globalThis as { [CURRENT]?: TracedockSdk })[CURRENT];
}

export function setCurrentSdk(sdk: TracedockSdk): void {
  (globalThis as { [CURRENT]?: TracedockSdk })[CURRENT] = sdk;
}
