import type { Logger } from './logger.js';

type Level = 'info' | 'warn' | 'error';

/** How often a notice of one kind may be logged again. */
export const NOTICE_INTERVAL_MILLIS = 60_000;

/**
 * Log lines that come in floods when something outside goes wrong (a client sending bad
 * requests, a store failing every batch): each kind is logged when it first happens, then
 * at most once per interval, with `suppressed` counting the ones left out since. /metrics
 * keeps the full counts. Kinds are names written in code, so their number is bounded.
 * @example
 * notices.every('info', 'otlp-http:400', { reason }, 'OTLP/HTTP request rejected (400)');
 * notices.once('error', `drop:${signal}`, { rows }, 'rows dropped');
 */
export class Notices {
  readonly #logger: Logger;
  readonly #intervalMillis: number;
  readonly #now: () => number;
  readonly #kinds = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(logger: Logger, intervalMillis = NOTICE_INTERVAL_MILLIS, now: () => number = Date.now) {
    this.#logger = logger;
    this.#intervalMillis = intervalMillis;
    this.#now = now;
  }

  /** The first of `kind`, then at most one per interval. */
  every(level: Level, kind: string, fields: Record<string, unknown>, message: string): void {
    const now = this.#now();
    const seen = this.#kinds.get(kind);
    if (seen !== undefined && now - seen.loggedAt < this.#intervalMillis) {
      seen.suppressed += 1;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.#kinds.set(kind, { loggedAt: now, suppressed: 0 });
    this.#logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, message);
  }

  /** `kind` once in the process's life. */
  once(level: Level, kind: string, fields: Record<string, unknown>, message: string): void {
    if (this.#kinds.has(kind)) return;
    this.#kinds.set(kind, { loggedAt: this.#now(), suppressed: 0 });
    this.#logger[level](fields, message);
  }
}
