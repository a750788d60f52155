import type { AttributeValue } from '../model/rows.js';
import type { Store } from '../store/Store.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import type { Logger } from '../telemetry/logger.js';

/**
 * A resource suspect of one span, as analysis/ reports it and GET /api/traces/:id/suspects
 * returns it. `evidence` carries the numbers and the window a person can check in the
 * charts; it is plain JSON (times as ns decimal strings), so it is sent as given.
 */
export interface Suspect {
  spanId: string;
  containerId: string;
  /** e.g. "cpu_throttled", "memory_near_limit", "restarted". */
  kind: string;
  message: string;
  evidence: Record<string, AttributeValue>;
}

/** What the query API needs from the rest of the collector. */
export interface ApiDeps {
  store: Store;
  metrics: MetricsRegistry;
  logger: Logger;
  /** The collector's version, shown by /api/health. */
  version: string;
  health: () => { docker: { connected: boolean } };
  /** Folder of the built UI; served at / when given. */
  staticDir?: string;
  /** The resource-suspect analysis; until the Docker part provides it, every trace has none. */
  suspects?: (traceId: string) => Promise<Suspect[]>;
  /** The Docker host this collector runs for (host-name.ts), shown by /api/health. */
  hostName?: string;
  /** Bearer token of the UI, API and /metrics (api/access.ts); absent or null: open. */
  apiToken?: string | null;
}
