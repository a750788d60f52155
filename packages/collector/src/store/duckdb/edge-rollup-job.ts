import type { Logger } from '../../telemetry/logger.js';
import { Notices } from '../../telemetry/notices.js';
import type { Database } from './database.js';
import { StoreClosedError } from './database.js';
import { rollUpMinutes, staleMinutes } from './edge-rollup.js';
import { MINUTE_NS, minuteOf } from './span-minutes.js';


export interface EdgeRollupSettings {
  /** A minute is rolled up once its end is this old, so that most of its late spans are in. */
  lagNs: bigint;
  /** Minutes older than this are left to the live join (bounds the stale-minute scan). */
  horizonNs: bigint;
  /**
   * Least pause between two ticks while minutes are stale; a tick also waits as long as the
   * last one took, so the job uses at most about half of one core.
   */
  busyDelayMillis: number;
  /** Most consecutive stale minutes rolled up in one tick (one join). */
  minutesPerTick: number;
  /** Pause when every minute is current. */
  idleDelayMillis: number;
  nowMillis: () => number;
  /** Where a run of failures is logged (once per run, through telemetry/notices.ts). */
  logger?: Logger;
}

export const DEFAULT_EDGE_ROLLUP_SETTINGS: Readonly<EdgeRollupSettings> = {
  lagNs: 2n * MINUTE_NS,
  horizonNs: 24n * 60n * MINUTE_NS,
  busyDelayMillis: 50,
  minutesPerTick: 5,
  idleDelayMillis: 5_000,
  nowMillis: () => Date.now(),
};

export interface EdgeRollupStats {
  minutesRolled: number;
  errors: number;
}

const NS_PER_MS = 1_000_000n;
/** The notice of a run of failed ticks: logged at the first, again after a tick succeeds. */
const ROLLUP_FAILED = 'edge-rollup-failed';

/**
 * Keeps span_edge_minutes current (edge-rollup.ts): each tick rolls up one stale minute (a
 * join of one minute of spans with the 7 minutes around it), on a read connection, then
 * writes the few resulting rows through Database.write. Errors are counted, logged once
 * per run of failures, and retried on the next tick.
 *
 * @example
 *   const job = new EdgeRollupJob(db);
 *   job.start();
 *   await job.shutdown();
 */
export class EdgeRollupJob {
  private readonly settings: EdgeRollupSettings;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly notices: Notices | undefined;
  readonly stats: EdgeRollupStats = { minutesRolled: 0, errors: 0 };

  private readonly db: Database;

  constructor(db: Database, settings: Partial<EdgeRollupSettings> = {}) {
    this.db = db;
    this.settings = { ...DEFAULT_EDGE_ROLLUP_SETTINGS, ...settings };
    this.notices = this.settings.logger === undefined ? undefined : new Notices(this.settings.logger);
  }

  start(): void {
    if (this.stopped || this.timer !== undefined || this.running !== undefined) return;
    this.schedule(0);
  }

  /** Stops the timer and waits for a tick in flight; safe to call twice. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    try {
      await this.running;
    } finally {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /**
   * Rolls up the stalest closed minute and up to minutesPerTick - 1 stale minutes next to
   * it; returns how many minutes (0 when none was stale).
   */
  async runOnce(): Promise<number> {
    const nowMillis = this.settings.nowMillis();
    const nowNs = BigInt(Math.floor(nowMillis)) * NS_PER_MS;
    // Minute m is closed once m + 1 min <= now - lag.
    const range = {
      startNs: minuteOf(nowNs - this.settings.horizonNs),
      endNs: minuteOf(nowNs - this.settings.lagNs - MINUTE_NS) + MINUTE_NS,
    };
    if (range.endNs <= range.startNs) return 0;
    const stale = new Set(await this.db.read((conn) => staleMinutes(conn, range, Number.MAX_SAFE_INTEGER)));
    const [first] = stale;
    if (first === undefined) return 0;
    // Stale neighbours on both sides join the run (the newest minute has none after it).
    const most = BigInt(this.settings.minutesPerTick) * MINUTE_NS;
    let startNs = first;
    let endNs = first + MINUTE_NS;
    while (endNs - startNs < most && stale.has(startNs - MINUTE_NS)) startNs -= MINUTE_NS;
    while (endNs - startNs < most && stale.has(endNs)) endNs += MINUTE_NS;
    await rollUpMinutes(this.db, { startNs, endNs }, nowMillis);
    const rolled = Number((endNs - startNs) / MINUTE_NS);
    this.stats.minutesRolled += rolled;
    return rolled;
  }

  private schedule(delayMillis: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMillis);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let delay = this.settings.idleDelayMillis;
    const started = performance.now();
    try {
      if ((await this.runOnce()) > 0) delay = Math.max(this.settings.busyDelayMillis, performance.now() - started);
      this.notices?.forget(ROLLUP_FAILED);
    } catch (error) {
      if (this.stopped || error instanceof StoreClosedError) return;
      this.stats.errors += 1;
      this.notices?.once('error', ROLLUP_FAILED, { err: error }, 'service-map edge roll-up failed; retrying');
    }
    this.schedule(delay);
  }
}
