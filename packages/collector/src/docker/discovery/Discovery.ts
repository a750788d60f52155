import type Docker from 'dockerode';
import type { ContainerEventRow } from '../../model/rows.js';
import { within } from '../../lifecycle/within.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { Notices } from '../../telemetry/notices.js';
import { timeoutSignal } from '../connection/abortable.js';
import type { DockerSession } from '../connection/DockerConnection.js';
import { DOCKER_METRICS } from '../docker-metrics.js';
import type { MetadataWriter } from '../store/MetadataWriter.js';
import type { StoreBatcher } from '../store/StoreBatcher.js';
import { parseEventLine, type ContainerEvent } from '../wire/event.js';
import { parseContainerIds } from '../wire/list.js';
import type { ContainerEntry, ContainerRegistry } from './ContainerRegistry.js';
import { openEventStream } from './event-stream.js';
import { inferEvents, SAME_EVENT_NS } from './infer-events.js';
import { InspectQueue, type InspectResult } from './InspectQueue.js';
import { RecentEvents } from './recent-events.js';

/** Told when containers start and stop, and when a session (a client to use) begins. */
export interface DiscoveryListener {
  sessionStarted(docker: Docker, signal: AbortSignal): void;
  alive(entry: ContainerEntry): void;
  stopped(containerId: string): void;
}

export interface DiscoveryOptions {
  registry: ContainerRegistry;
  metadata: MetadataWriter;
  events: StoreBatcher<ContainerEventRow>;
  listener: DiscoveryListener;
  requestTimeoutMillis: number;
  nowNs: () => bigint;
  metrics: MetricsRegistry;
  logger: Logger;
}

/** Inspects in flight at once during a resync (hundreds of containers after a reconnect). */
const INSPECT_CONCURRENCY = 8;

/**
 * Keeps the registry equal to the daemon: follows container events (stored as they come),
 * inspects a container on each of its events, and on every (re)connection lists all
 * containers, inspects them, marks the vanished ones removed and infers the start/die/oom
 * events the outage hid. One session at a time; state carries over between sessions.
 */
export class Discovery {
  readonly #options: DiscoveryOptions;
  readonly #recent = new RecentEvents();
  readonly #notices: Notices;
  #lastEventNs: bigint | null = null;
  /** When the last connected session ended; null before the first one. */
  #outageFromNs: bigint | null = null;
  /** While a resync after an outage runs: events from this time on may have been missed. */
  #inferFromNs: bigint | null = null;

  constructor(options: DiscoveryOptions) {
    this.#options = options;
    this.#notices = new Notices(options.logger);
  }

  /** One session: settles when the events stream ends (daemon gone) or the session aborts. */
  async run({ docker, signal, markConnected }: DockerSession): Promise<void> {
    const { requestTimeoutMillis, listener } = this.#options;
    const onResult = (id: string, result: InspectResult): void => this.#applied(id, result);
    const inspector = new InspectQueue({ docker, signal, timeoutMillis: requestTimeoutMillis, concurrency: INSPECT_CONCURRENCY, onResult });
    // Bounded: a daemon that accepts the connection but never answers must not hold the
    // session (the caller aborts it, which also cancels this request).
    const opening = openEventStream({
      docker,
      signal,
      sinceNs: this.#lastEventNs ?? this.#outageFromNs,
      onLine: (line) => this.#onEvent(line, inspector),
      onOversize: () => this.#invalid('event', 'an event line longer than 1 MiB'),
      onError: (error) => this.#bug(error),
    });
    if ((await within(opening, requestTimeoutMillis)) === 'timeout') {
      throw new Error(`GET /events did not answer within ${requestTimeoutMillis} ms`);
    }
    const { ended } = await opening;
    this.#inferFromNs = this.#outageFromNs === null ? null : this.#outageFromNs - SAME_EVENT_NS;
    markConnected();
    try {
      listener.sessionStarted(docker, signal);
      await this.#resync(docker, signal, inspector);
      this.#inferFromNs = null;
      await ended;
    } finally {
      this.#inferFromNs = null;
      this.#outageFromNs = this.#options.nowNs();
    }
  }

  async #resync(docker: Docker, signal: AbortSignal, inspector: InspectQueue): Promise<void> {
    const { registry, metadata, listener, requestTimeoutMillis, nowNs } = this.#options;
    const payload: unknown = await docker.listContainers({ all: true, abortSignal: timeoutSignal(signal, requestTimeoutMillis) });
    const listed = parseContainerIds(payload);
    if (!listed.ok) {
      this.#invalid('list', listed.message);
      return;
    }
    const present = new Set(listed.ids);
    for (const entry of registry.alive()) {
      if (present.has(entry.meta.id)) continue;
      registry.markRemoved(entry.meta.id, nowNs());
      metadata.changed(entry.meta.id);
      listener.stopped(entry.meta.id);
    }
    for (const id of listed.ids) inspector.request(id);
    await inspector.idle();
  }

  #onEvent(line: string, inspector: InspectQueue): void {
    const parsed = parseEventLine(line);
    if (parsed.kind === 'invalid') this.#invalid('event', parsed.message);
    if (parsed.kind !== 'event') return;
    const { event } = parsed;
    if (!this.#record(event)) return;
    if (this.#lastEventNs === null || event.timeNs > this.#lastEventNs) this.#lastEventNs = event.timeNs;
    if (event.action !== 'destroy') {
      inspector.request(event.containerId, true);
      return;
    }
    const { registry, metadata, listener } = this.#options;
    if (registry.markRemoved(event.containerId, event.timeNs) !== undefined) metadata.changed(event.containerId);
    listener.stopped(event.containerId);
  }

  /** Stores a real or inferred event once; false for a repeat. */
  #record(event: ContainerEvent): boolean {
    if (!this.#recent.add(event)) return false;
    this.#options.metrics.inc(DOCKER_METRICS.events, 1, { action: event.action });
    this.#options.events.add([event]);
    return true;
  }

  #applied(id: string, result: InspectResult): void {
    const { registry, metadata, listener, metrics, logger, nowNs } = this.#options;
    if (result.kind === 'ok') {
      const { entry } = registry.upsert(result.meta, nowNs());
      if (this.#inferFromNs !== null) {
        const recordedNear = this.#recent.recordedNear.bind(this.#recent);
        for (const event of inferEvents(result.meta, this.#inferFromNs, recordedNear)) this.#record(event);
      }
      metadata.changed(id);
      if (entry.meta.alive) listener.alive(entry);
      else listener.stopped(id);
    } else if (result.kind === 'gone') {
      if (registry.markRemoved(id, nowNs()) !== undefined) metadata.changed(id);
      listener.stopped(id);
    } else if (result.kind === 'invalid') {
      this.#invalid('inspect', result.message);
    } else {
      metrics.inc(DOCKER_METRICS.apiErrors, 1, { call: 'inspect' });
      logger.debug({ err: result.error, containerId: id }, 'inspecting a container failed');
    }
  }

  #bug(error: unknown): void {
    this.#notices.once('error', 'bug', { err: error }, 'handling a Docker event failed; the event was skipped');
  }

  /** Counted always, logged once per kind: a daemon speaking another dialect would flood the log. */
  #invalid(kind: 'list' | 'inspect' | 'event', message: string): void {
    this.#options.metrics.inc(DOCKER_METRICS.invalidPayloads, 1, { kind });
    this.#notices.once('warn', `invalid:${kind}`, { kind, problem: message }, `a Docker ${kind} payload had an unexpected shape and was left out`);
  }
}
