import type Dockerode from 'dockerode';
import type { ContainerSampleRow } from '../../model/rows.js';
import { parseDockerStats } from './docker-api-parse.js';
import type { ReportError } from './errors.js';
import { LineSplitter } from '../line-splitter.js';
import type { SampleTarget, StatsSource } from './StatsSource.js';

export interface DockerApiSourceOptions {
  docker: Dockerode;
  onError?: ReportError;
  /** Wait before reopening the stream of a container that is still a target after its stream ended. */
  reopenDelayMillis?: number;
  /** Longest stats message kept; one is ~2-5 KiB (percpu_usage grows with CPUs). */
  maxLineBytes?: number;
  nowMillis?: () => number;
}

type Sample = Omit<ContainerSampleRow, 'containerId'>;

interface Stream {
  /** Aborting it closes the HTTP request and its response (dockerode passes it to http.request). */
  abort: AbortController;
  /** The newest message not yet returned; older ones are replaced, so one per stream is held. */
  latest: Sample | null;
  /** When the stream ended or failed; it stays in the map until the reopen delay passed. */
  endedAtMillis: number | null;
}

/** Short enough that samples resume within a few seconds of a daemon restart. */
const DEFAULT_REOPEN_DELAY_MILLIS = 2_000;
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/**
 * Samples through the Docker stats API where the cgroup files are out of sight: one streaming
 * request per target, kept open (dockerd sends a message per second and computes nothing twice),
 * closed when the target goes away and on shutdown, so streams never outnumber targets.
 * Each `sample()` returns the newest message of each stream received since the previous call.
 * @example const source = new DockerApiStatsSource({ docker: new Dockerode() });
 */
export class DockerApiStatsSource implements StatsSource {
  readonly kind = 'docker-api';
  readonly #docker: Dockerode;
  readonly #onError: ReportError;
  readonly #reopenDelayMillis: number;
  readonly #maxLineBytes: number;
  readonly #nowMillis: () => number;
  readonly #streams = new Map<string, Stream>();
  #shutDown = false;

  constructor(options: DockerApiSourceOptions) {
    this.#docker = options.docker;
    this.#onError = options.onError ?? (() => undefined);
    this.#reopenDelayMillis = options.reopenDelayMillis ?? DEFAULT_REOPEN_DELAY_MILLIS;
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#nowMillis = options.nowMillis ?? Date.now;
  }

  /** Streams open or opening now. */
  get openStreams(): number {
    let open = 0;
    for (const stream of this.#streams.values()) if (stream.endedAtMillis === null) open += 1;
    return open;
  }

  sample(targets: readonly SampleTarget[], _nowNs: bigint): Promise<ContainerSampleRow[]> {
    if (this.#shutDown) return Promise.resolve([]);
    const live = new Set(targets.map((t) => t.id));
    for (const [id, stream] of this.#streams) {
      if (!live.has(id)) this.#close(id, stream);
    }
    const now = this.#nowMillis();
    const rows: ContainerSampleRow[] = [];
    for (const target of targets) {
      let stream = this.#streams.get(target.id);
      if (stream !== undefined && stream.endedAtMillis !== null && now - stream.endedAtMillis >= this.#reopenDelayMillis) {
        this.#close(target.id, stream);
        stream = undefined;
      }
      stream ??= this.#open(target.id);
      const latest = stream.latest;
      if (latest === null) continue;
      stream.latest = null;
      rows.push(
        target.hostNetwork
          ? { containerId: target.id, ...latest, netRxBytes: null, netTxBytes: null }
          : { containerId: target.id, ...latest },
      );
    }
    return Promise.resolve(rows);
  }

  shutdown(): Promise<void> {
    this.#shutDown = true;
    for (const [id, stream] of this.#streams) this.#close(id, stream);
    return Promise.resolve();
  }

  #open(id: string): Stream {
    const stream: Stream = { abort: new AbortController(), latest: null, endedAtMillis: null };
    this.#streams.set(id, stream);
    const ended = (): void => {
      stream.endedAtMillis ??= this.#nowMillis();
    };
    // A variable, not a literal: @types/dockerode does not list abortSignal, dockerode reads it.
    const options = { stream: true as const, abortSignal: stream.abort.signal };
    this.#docker.getContainer(id).stats(options).then(
      (body) => {
        if (stream.abort.signal.aborted) return;
        const lines = new LineSplitter(
          this.#maxLineBytes,
          (line) => this.#onLine(stream, line),
          () => this.#onError('stats-message-too-long', new Error(`a stats message exceeded ${this.#maxLineBytes} bytes`)),
        );
        body.on('data', (chunk: unknown) => {
          if (Buffer.isBuffer(chunk)) lines.push(chunk);
        });
        body.on('error', (error: unknown) => {
          if (!stream.abort.signal.aborted) this.#onError('stats-stream', error);
          ended();
        });
        body.on('end', ended);
        body.on('close', ended);
      },
      (error: unknown) => {
        if (!stream.abort.signal.aborted) this.#onError('stats-open', error);
        ended();
      },
    );
    return stream;
  }

  #onLine(stream: Stream, line: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(line);
    } catch (error) {
      this.#onError('stats-json', error);
      return;
    }
    const parsed = parseDockerStats(payload);
    if (parsed.ok) stream.latest = parsed.sample;
    else if (parsed.reason === 'invalid') this.#onError('stats-invalid', new Error(parsed.message));
  }

  #close(id: string, stream: Stream): void {
    this.#streams.delete(id);
    stream.abort.abort();
  }
}
