import type Docker from 'dockerode';
import type { LogRow } from '../../model/rows.js';
import type { OfferResult } from '../../pipeline/write-queue.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { DOCKER_METRICS } from '../docker-metrics.js';
import type { ContainerEntry, ContainerRegistry } from '../discovery/ContainerRegistry.js';
import type { DiscoveryListener } from '../discovery/Discovery.js';
import { LogFollower, type LogFollowerLimits } from './LogFollower.js';
import { LogNotices } from './log-notices.js';

export interface ContainerLogsOptions extends LogFollowerLimits {
  registry: ContainerRegistry;
  /** The write queue's offer: log rows go the way OTLP log records go. */
  offer: (batch: { signal: 'logs'; rows: LogRow[] }) => OfferResult;
  /** Followed containers at most (each holds a connection to the daemon). */
  maxStreams: number;
  /** Containers running before the collector started are read from here on, not from their beginning. */
  startedAtNs: bigint;
  nowNs: () => bigint;
  metrics: MetricsRegistry;
  logger: Logger;
}

/** Rows are handed to the write queue this often, per container. */
const SHIP_INTERVAL_MILLIS = 200;
/** A stream that ends while its container still runs is reopened after this long. */
const REOPEN_DELAY_MILLIS = 1_000;
/** Reopened at most this many times in a row without a line read in between. */
const REOPEN_MAX = 3;

/**
 * The stdout/stderr of every running container, as log rows: one follower per container
 * (bounded by maxStreams), each with its own rate limit and buffer; every 200 ms each
 * follower's rows are offered to the write queue as one batch, rotating which container
 * goes first. A full queue drops (and counts) that batch only.
 */
export class ContainerLogs implements DiscoveryListener {
  readonly #options: ContainerLogsOptions;
  readonly #followers = new Map<string, LogFollower>();
  /** Ended followers whose last rows are not shipped yet. */
  #finished: LogFollower[] = [];
  readonly #reopenTimers = new Map<string, NodeJS.Timeout>();
  readonly #reopens = new Map<string, number>();
  #session: { docker: Docker; signal: AbortSignal } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rotation = 0;
  #stopped = false;
  readonly #notices: LogNotices;

  constructor(options: ContainerLogsOptions) {
    this.#options = options;
    this.#notices = new LogNotices(options);
    options.metrics.gauge(DOCKER_METRICS.logStreams, 'Container log streams followed now.', () => this.#followers.size);
  }

  start(): void {
    this.#timer ??= setInterval(() => this.ship(), SHIP_INTERVAL_MILLIS);
    this.#timer.unref();
  }

  sessionStarted(docker: Docker, signal: AbortSignal): void {
    if (this.#stopped) return;
    this.#session = { docker, signal };
    signal.addEventListener('abort', () => {
      if (this.#session?.signal === signal) this.#session = undefined;
    }, { once: true });
  }

  alive(entry: ContainerEntry): void {
    const id = entry.meta.id;
    const session = this.#session;
    if (session === undefined || session.signal.aborted || this.#stopped || this.#followers.has(id)) return;
    if (entry.meta.logDriver === 'none') return;
    if (this.#followers.size >= this.#options.maxStreams) {
      this.#notices.refused(id);
      return;
    }
    const { maxLineBytes, linesPerSecond, burstLines, startedAtNs, nowNs, metrics } = this.#options;
    const follower = new LogFollower({
      maxLineBytes,
      linesPerSecond,
      burstLines,
      nowNs,
      metrics,
      entry,
      docker: session.docker,
      signal: session.signal,
      sinceNs: entry.lastLogNs ?? startedAtNs,
      onEnd: (ended, error) => this.#ended(ended, error),
      onBug: (error) => this.#notices.bug(error),
      onFirstDrop: (containerId, reason) => this.#notices.firstDrop(containerId, reason),
    });
    this.#followers.set(id, follower);
    follower.start();
  }

  stopped(containerId: string): void {
    // The daemon ends the stream itself once the container stopped; its last lines still come.
    this.#reopens.delete(containerId);
    clearTimeout(this.#reopenTimers.get(containerId));
    this.#reopenTimers.delete(containerId);
  }

  /** Offers each follower's rows to the write queue. */
  ship(): void {
    const followers = [...this.#followers.values(), ...this.#finished];
    this.#finished = [];
    if (followers.length === 0) return;
    this.#rotation = (this.#rotation + 1) % followers.length;
    for (let i = 0; i < followers.length; i += 1) {
      const follower = followers[(this.#rotation + i) % followers.length];
      const rows = follower?.take() ?? [];
      if (rows.length === 0) continue;
      const offered = this.#options.offer({ signal: 'logs', rows });
      if (offered.accepted) this.#reopens.delete(follower?.containerId ?? '');
      else {
        const reason = offered.reason === 'shutting_down' ? 'shutting_down' : 'queue_full';
        this.#options.metrics.inc(DOCKER_METRICS.logLinesDropped, rows.length, { reason });
      }
    }
  }

  /** Stops every stream and hands what was read to the queue. Safe to call twice. */
  shutdown(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    for (const timer of this.#reopenTimers.values()) clearTimeout(timer);
    this.#reopenTimers.clear();
    for (const follower of this.#followers.values()) follower.stop();
    this.ship();
  }

  #ended(follower: LogFollower, error: unknown): void {
    const id = follower.containerId;
    if (this.#followers.get(id) === follower) this.#followers.delete(id);
    this.#finished.push(follower);
    if (this.#stopped) return;
    if (error !== undefined && this.#session !== undefined) {
      this.#options.metrics.inc(DOCKER_METRICS.apiErrors, 1, { call: 'logs' });
      this.#options.logger.debug({ err: error, containerId: id }, 'following container logs failed');
    }
    const reopens = this.#reopens.get(id) ?? 0;
    if (reopens >= REOPEN_MAX) return;
    this.#reopens.set(id, reopens + 1);
    clearTimeout(this.#reopenTimers.get(id));
    const timer = setTimeout(() => {
      this.#reopenTimers.delete(id);
      const entry = this.#options.registry.get(id);
      if (entry !== undefined && entry.meta.alive && !entry.removed) this.alive(entry);
      // Stopped for good: nothing about it is kept (a loop of short-lived containers must not grow this).
      else this.#reopens.delete(id);
    }, REOPEN_DELAY_MILLIS);
    timer.unref();
    this.#reopenTimers.set(id, timer);
  }
}
