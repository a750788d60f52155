import type { Logger } from './logger.js';

type Level = 'info' | 'warn' | 'error';

/** How often a notice of one kind may be logged again. */
export const NOTICE_INTERVAL_MILLIS = 60_000;
/** Kinds remembered at most; past it a new kind is not logged (/metrics still counts it). */
export const NOTICE_MAX_KINDS = 256;

export interface NoticesOptions {
  /** For every(): how often one kind may be logged again. */
  intervalMillis?: number;
  /** A kind may carry an id (a container's): this bounds how many are named. */
  maxKinds?: number;
  nowMillis?: () => number;
}

/**
 * The one place for log lines that come in floods when something outside goes wrong (a client
 * sending bad requests, a store failing every batch, a daemon away): each kind is logged when it
 * first happens, then at most once per interval (every) or never again (once); /metrics keeps the
 * full counts. Kinds are names written in code, with at most maxKinds of them remembered.
 * @example
 * notices.every('info', 'otlp-http:400', { reason }, 'OTLP/HTTP request rejected (400)');
 * notices.once('error', `drop:${signal}`, { rows }, 'rows dropped');
 * if (!notices.once('warn', 'outage', fields, 'daemon unreachable')) logger.debug(fields, 'still unreachable');
 */
export class Notices {
  readonly #logger: Logger;
  readonly #intervalMillis: number;
  readonly #maxKinds: number;
  readonly #now: () => number;
  readonly #kinds = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(logger: Logger, options: NoticesOptions = {}) {
    this.#logger = logger;
    this.#intervalMillis = options.intervalMillis ?? NOTICE_INTERVAL_MILLIS;
    this.#maxKinds = options.maxKinds ?? NOTICE_MAX_KINDS;
    this.#now = options.nowMillis ?? Date.now;
  }

  /** The first of `kind`, then at most one per interval; true when this one was logged. */
  every(level: Level, kind: string, fields: Record<string, unknown>, message: string): boolean {
    const now = this.#now();
    const seen = this.#kinds.get(kind);
    if (seen !== undefined && now - seen.loggedAt < this.#intervalMillis) {
      seen.suppressed += 1;
      return false;
    }
    if (seen === undefined && !this.#remember(kind, now)) return false;
    const suppressed = seen?.suppressed ?? 0;
    this.#kinds.set(kind, { loggedAt: now, suppressed: 0 });
    this.#logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, message);
    return true;
  }

  /** `kind` once (until forget(kind)); true when this one was logged. */
  once(level: Level, kind: string, fields: Record<string, unknown>, message: string): boolean {
    if (this.#kinds.has(kind) || !this.#remember(kind, this.#now())) return false;
    this.#logger[level](fields, message);
    return true;
  }

  /** The next notice of `kind` is logged again (e.g. a new outage after a recovery). */
  forget(kind: string): void {
    this.#kinds.delete(kind);
  }

  #remember(kind: string, now: number): boolean {
    if (this.#kinds.size >= this.#maxKinds) return false;
    this.#kinds.set(kind, { loggedAt: now, suppressed: 0 });
    return true;
  }
}
