import type { LogRow } from '../model/rows.js';

/**
 * One log record that reaches the collector twice — a service writes it to stdout (the Docker
 * part reads it) and exports it over OTLP (the SDK's pino instrumentation does both) — is stored
 * once: the OTLP record, which is the richer one (scope, attributes, exact ids), with the
 * container of the stdout line when the OTLP record had none.
 *
 * Container lines wait `holdMillis` in the write queue before they are stored (TableWriter's
 * hold), so that the OTLP copy, which an SDK batches for a second or so, usually arrives first:
 * - an OTLP record that arrives while its line waits removes the line (pendingStdout/otlpArrived);
 * - an OTLP record that arrives first is remembered (bounded) and removes the line when that
 *   is about to be stored (stdoutToWrite).
 * A line stored before its OTLP copy arrived stays: both are then stored.
 *
 * The same record means: the same body text, times within `toleranceNs`, the same trace id
 * where both have one, and the same container where the OTLP record has one. Each OTLP record
 * removes at most one line, so a message logged 10 times is stored 10 times.
 */

export interface LogDedupeOptions {
  /** Largest time difference between the two copies. */
  toleranceNs: bigint;
  /** OTLP records remembered for lines still to come; the oldest go first. */
  maxRemembered: number;
  /** How long an OTLP record is remembered for a line still to come. */
  rememberMillis: number;
  now?: () => number;
}

interface Remembered {
  row: LogRow;
  atMillis: number;
  used: boolean;
}

function sameRecord(otlp: LogRow, line: LogRow, toleranceNs: bigint): boolean {
  const gap = otlp.timeNs > line.timeNs ? otlp.timeNs - line.timeNs : line.timeNs - otlp.timeNs;
  if (gap > toleranceNs) return false;
  if (otlp.traceId !== null && line.traceId !== null && otlp.traceId !== line.traceId) return false;
  return otlp.containerId === null || otlp.containerId === line.containerId;
}

function removeFrom<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) return;
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

/**
 * @example
 * const dedupe = new LogDedupe({ toleranceNs: 1_000_000_000n, maxRemembered: 50_000, rememberMillis: 10_000 });
 * dedupe.pendingStdout(lines);            // as container lines enter the queue
 * dedupe.otlpArrived(otlpRows);           // after the OTLP rows' container join
 * const toStore = dedupe.stdoutToWrite(lines); // as the held lines are written
 */
export class LogDedupe {
  readonly #options: LogDedupeOptions;
  readonly #now: () => number;
  /** Container lines in the queue, by body. Bounded by the queue's own bound. */
  readonly #pending = new Map<string, LogRow[]>();
  /** Lines an OTLP record has replaced; removed from the batch when it is written. */
  readonly #replaced = new Set<LogRow>();
  /** OTLP records that matched no waiting line, by body, and in arrival order. */
  readonly #remembered = new Map<string, Remembered[]>();
  readonly #order: Remembered[] = [];
  #orderHead = 0;

  constructor(options: LogDedupeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Container lines entering the queue. */
  pendingStdout(rows: readonly LogRow[]): void {
    for (const row of rows) {
      const list = this.#pending.get(row.body);
      if (list === undefined) this.#pending.set(row.body, [row]);
      else list.push(row);
    }
  }

  /** OTLP records after the container join: each replaces one waiting line, or is remembered. */
  otlpArrived(rows: readonly LogRow[]): void {
    const nowMillis = this.#now();
    this.#expire(nowMillis);
    for (const row of rows) {
      const line = this.#pending.get(row.body)?.find((candidate) => !this.#replaced.has(candidate) && sameRecord(row, candidate, this.#options.toleranceNs));
      if (line !== undefined) {
        this.#replaced.add(line);
        row.containerId ??= line.containerId;
        continue;
      }
      this.#remember(row, nowMillis);
    }
  }

  /** The held lines about to be stored, less those an OTLP record replaced. */
  stdoutToWrite(rows: readonly LogRow[]): LogRow[] {
    this.#expire(this.#now());
    const out: LogRow[] = [];
    for (const row of rows) {
      removeFrom(this.#pending, row.body, row);
      if (this.#replaced.delete(row)) continue;
      const otlp = this.#remembered.get(row.body)?.find((entry) => !entry.used && sameRecord(entry.row, row, this.#options.toleranceNs));
      if (otlp !== undefined) {
        otlp.used = true;
        removeFrom(this.#remembered, row.body, otlp);
        continue;
      }
      out.push(row);
    }
    return out;
  }

  /** Lines in the queue that an OTLP record already replaced (for tests and /metrics). */
  get replacedWaiting(): number {
    return this.#replaced.size;
  }

  /** Container lines indexed while they wait in the queue. */
  get pendingCount(): number {
    let count = 0;
    for (const list of this.#pending.values()) count += list.length;
    return count;
  }

  get rememberedCount(): number {
    return this.#order.length - this.#orderHead;
  }

  #remember(row: LogRow, atMillis: number): void {
    const entry: Remembered = { row, atMillis, used: false };
    const list = this.#remembered.get(row.body);
    if (list === undefined) this.#remembered.set(row.body, [entry]);
    else list.push(entry);
    this.#order.push(entry);
    while (this.rememberedCount > this.#options.maxRemembered) this.#forgetOldest();
  }

  #expire(nowMillis: number): void {
    const oldestKept = nowMillis - this.#options.rememberMillis;
    while (this.#orderHead < this.#order.length && this.#order[this.#orderHead]!.atMillis < oldestKept) this.#forgetOldest();
  }

  #forgetOldest(): void {
    const entry = this.#order[this.#orderHead]!;
    this.#orderHead += 1;
    if (!entry.used) removeFrom(this.#remembered, entry.row.body, entry);
    // Compact the arrival list once its consumed head is as long as what is left.
    if (this.#orderHead > 1024 && this.#orderHead * 2 > this.#order.length) {
      this.#order.splice(0, this.#orderHead);
      this.#orderHead = 0;
    }
  }
}
