import type Docker from 'dockerode';
import type { LogRow } from '../../model/rows.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { DOCKER_METRICS } from '../docker-metrics.js';
import type { ContainerEntry } from '../discovery/ContainerRegistry.js';
import { dockerSince } from '../wire/docker-time.js';
import { FrameDemuxer, type FrameSink } from './frame-demux.js';
import { LineAssembler, type RawLogLine } from './line-assembler.js';
import { containerResource, containerService, logRow, type ContainerLogContext } from './log-row.js';
import { parseLogLine } from './parse-line.js';
import { TokenBucket } from './token-bucket.js';

export interface LogFollowerLimits {
  maxLineBytes: number;
  linesPerSecond: number;
  /** The bucket's burst, and the rows this follower holds until the next ship. */
  burstLines: number;
}

export interface LogFollowerOptions extends LogFollowerLimits {
  entry: ContainerEntry;
  docker: Docker;
  /** The session's signal: the stream ends with the session. */
  signal: AbortSignal;
  /** Lines from this time on; lines at or before entry.lastLogNs were stored already and are skipped. */
  sinceNs: bigint;
  nowNs: () => bigint;
  metrics: MetricsRegistry;
  /** The first line this follower drops (rate or buffer): the caller names the container once. */
  onFirstDrop: (containerId: string, reason: 'rate_limited' | 'buffer_full') => void;
  /** A line handler threw (a bug): reported, and the stream goes on. */
  onBug: (error: unknown) => void;
  /** Called once, when the stream ended, failed to open or was stopped. */
  onEnd: (follower: LogFollower, error: unknown) => void;
}

/**
 * Follows one container's stdout and stderr (`GET /containers/{id}/logs?follow&timestamps`),
 * demultiplexed unless the container has a TTY, split into bounded lines, rate-limited by
 * its own token bucket, parsed (JSON or plain) into log rows held until `take()`.
 * @example const follower = new LogFollower({ ...limits, entry, docker, signal, sinceNs, nowNs, metrics, onEnd }); follower.start();
 */
export class LogFollower {
  readonly containerId: string;
  readonly #options: LogFollowerOptions;
  readonly #stop = new AbortController();
  readonly #bucket: TokenBucket;
  readonly #context: ContainerLogContext;
  readonly #resumeAfterNs: bigint | null;
  #rows: LogRow[] = [];
  #ended = false;
  #dropped = false;
  /** Counted here and added to the metrics at each take(): a flood must not pay a metrics update per line. */
  readonly #counts = { stdout: 0, stderr: 0, truncated: 0, rateLimited: 0, bufferFull: 0 };

  constructor(options: LogFollowerOptions) {
    this.#options = options;
    const { meta } = options.entry;
    this.containerId = meta.id;
    this.#bucket = new TokenBucket(options.linesPerSecond, options.burstLines, performance.now());
    this.#context = { containerId: meta.id, service: containerService(meta), resource: containerResource(meta) };
    this.#resumeAfterNs = options.entry.lastLogNs;
  }

  get ended(): boolean {
    return this.#ended;
  }

  start(): void {
    void this.#follow().then(
      () => this.#end(undefined),
      (error: unknown) => this.#end(error),
    );
  }

  stop(): void {
    this.#stop.abort();
  }

  /** The rows read since the last call; adds the lines counted meanwhile to the metrics. */
  take(): LogRow[] {
    const rows = this.#rows;
    this.#rows = [];
    const { metrics } = this.#options;
    const counts = this.#counts;
    if (counts.stdout > 0) metrics.inc(DOCKER_METRICS.logLines, counts.stdout, { stream: 'stdout' });
    if (counts.stderr > 0) metrics.inc(DOCKER_METRICS.logLines, counts.stderr, { stream: 'stderr' });
    if (counts.truncated > 0) metrics.inc(DOCKER_METRICS.logLinesTruncated, counts.truncated);
    if (counts.rateLimited > 0) metrics.inc(DOCKER_METRICS.logLinesDropped, counts.rateLimited, { reason: 'rate_limited' });
    if (counts.bufferFull > 0) metrics.inc(DOCKER_METRICS.logLinesDropped, counts.bufferFull, { reason: 'buffer_full' });
    counts.stdout = counts.stderr = counts.truncated = counts.rateLimited = counts.bufferFull = 0;
    return rows;
  }

  async #follow(): Promise<void> {
    const { docker, entry, sinceNs, maxLineBytes } = this.#options;
    const signal = AbortSignal.any([this.#options.signal, this.#stop.signal]);
    const stream = await docker.getContainer(entry.meta.id).logs({
      follow: true, stdout: true, stderr: true, timestamps: true, since: dockerSince(sinceNs), abortSignal: signal,
    });
    const lines = new LineAssembler(maxLineBytes, (line) => {
      try {
        this.#onLine(line);
      } catch (error) {
        this.#options.onBug(error);
      }
    });
    const sink: FrameSink = lines;
    const demux = entry.meta.tty ? undefined : new FrameDemuxer(sink);
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        signal.removeEventListener('abort', finish);
        resolve();
      };
      stream.on('data', (chunk: Buffer) => (demux === undefined ? sink.data('stdout', chunk) : demux.push(chunk)));
      stream.once('end', finish);
      stream.once('close', finish);
      stream.once('error', finish);
      signal.addEventListener('abort', finish, { once: true });
    });
    lines.end();
  }

  #onLine(line: RawLogLine): void {
    const { entry, burstLines, nowNs } = this.#options;
    if (line.dockerTimeNs !== null) {
      if (this.#resumeAfterNs !== null && line.dockerTimeNs <= this.#resumeAfterNs) return;
      if (entry.lastLogNs === null || line.dockerTimeNs > entry.lastLogNs) entry.lastLogNs = line.dockerTimeNs;
    }
    const counts = this.#counts;
    counts[line.stream] += 1;
    if (line.truncated) counts.truncated += 1;
    if (line.bytes.length === 0) return;
    if (!this.#bucket.take(performance.now())) {
      counts.rateLimited += 1;
      this.#firstDrop('rate_limited');
      return;
    }
    if (this.#rows.length >= burstLines) {
      counts.bufferFull += 1;
      this.#firstDrop('buffer_full');
      return;
    }
    const text = line.bytes.toString('utf8');
    if (text.trim() === '') return;
    const parsed = parseLogLine(text, line.stream);
    this.#rows.push(logRow(this.#context, line.stream, parsed, line.dockerTimeNs ?? nowNs()));
  }

  #firstDrop(reason: 'rate_limited' | 'buffer_full'): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#options.onFirstDrop(this.containerId, reason);
  }

  #end(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.onEnd(this, error);
  }
}
