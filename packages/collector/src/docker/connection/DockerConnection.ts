import type Docker from 'dockerode';
import { Backoff } from '../../lifecycle/backoff.js';
import { sleep } from '../../lifecycle/sleep.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { Notices } from '../../telemetry/notices.js';
import { DOCKER_METRICS } from '../docker-metrics.js';
import { timeoutSignal } from './abortable.js';
import { createDockerClient } from './endpoint.js';
import { ping } from './ping.js';

/** What a session gets: a client, a signal that aborts when the session must end, and a way to say it is up. */
export interface DockerSession {
  docker: Docker;
  signal: AbortSignal;
  /** Called once the session follows the daemon (events stream open): /api/health turns connected. */
  markConnected(): void;
}

/** Runs one session; settles when the daemon went away, and promptly once `signal` aborts. */
export type RunSession = (session: DockerSession) => Promise<void>;

export interface DockerConnectionOptions {
  dockerHost: string;
  reconnectMinMillis: number;
  reconnectMaxMillis: number;
  requestTimeoutMillis: number;
  logger: Logger;
  metrics: MetricsRegistry;
  run: RunSession;
}

/** A daemon that stops answering pings (hung, or a TCP peer gone silent) ends the session. */
const WATCHDOG_INTERVAL_MILLIS = 5_000;
/** The notice kind of an outage: logged at warn once per outage, then at debug. */
const OUTAGE = 'outage';

/**
 * Keeps one session with the Docker daemon alive: ping, run the session until it ends,
 * back off (lifecycle/backoff.ts), reconnect — forever, never throwing. Each session has its
 * own client and sockets, all closed when it ends.
 * @example
 * const connection = new DockerConnection({ ...options, run: (s) => discovery.run(s) });
 * connection.start(); connection.connected; await connection.shutdown();
 */
export class DockerConnection {
  readonly #options: DockerConnectionOptions;
  readonly #stop = new AbortController();
  readonly #backoff: Backoff;
  #connected = false;
  #loop: Promise<void> | undefined;
  readonly #notices: Notices;

  constructor(options: DockerConnectionOptions) {
    this.#options = options;
    this.#backoff = new Backoff({ initialMillis: options.reconnectMinMillis, maxMillis: options.reconnectMaxMillis });
    this.#notices = new Notices(options.logger);
    options.metrics.gauge(DOCKER_METRICS.connected, 'Whether the collector follows the Docker daemon now (1) or not (0).', () =>
      this.#connected ? 1 : 0,
    );
    options.metrics.counter(DOCKER_METRICS.sessions, 'Sessions with the Docker daemon that reached the events stream.');
  }

  get connected(): boolean {
    return this.#connected;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Ends the session in progress and the reconnect loop. Safe to call twice. */
  async shutdown(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      await this.#session(stop);
      if (stop.aborted) break;
      await sleep(this.#backoff.next(), stop);
    }
  }

  async #session(stop: AbortSignal): Promise<void> {
    const { dockerHost, requestTimeoutMillis, logger, metrics, run } = this.#options;
    const client = createDockerClient(dockerHost);
    const session = new AbortController();
    const onStop = (): void => session.abort();
    stop.addEventListener('abort', onStop, { once: true });
    let watchdog: NodeJS.Timeout | undefined;
    const markConnected = (): void => {
      if (this.#connected || session.signal.aborted) return;
      this.#connected = true;
      this.#notices.forget(OUTAGE);
      this.#backoff.reset();
      metrics.inc(DOCKER_METRICS.sessions, 1);
      logger.info({ dockerHost }, 'following the Docker daemon');
      watchdog = setInterval(() => {
        ping(client.docker, timeoutSignal(session.signal, requestTimeoutMillis)).catch((error: unknown) => {
          if (!session.signal.aborted) logger.warn({ err: error }, 'the Docker daemon stopped answering pings');
          session.abort();
        });
      }, WATCHDOG_INTERVAL_MILLIS);
    };
    try {
      await ping(client.docker, timeoutSignal(session.signal, requestTimeoutMillis));
      await run({ docker: client.docker, signal: session.signal, markConnected });
      if (!stop.aborted) this.#lost(undefined);
    } catch (error) {
      if (!stop.aborted) this.#lost(error);
    } finally {
      clearInterval(watchdog);
      stop.removeEventListener('abort', onStop);
      session.abort();
      client.close();
      this.#connected = false;
    }
  }

  #lost(error: unknown): void {
    const { logger, dockerHost, reconnectMaxMillis } = this.#options;
    const fields = { err: error, dockerHost, retryEveryMaxMillis: reconnectMaxMillis };
    const message = this.#connected ? 'lost the Docker daemon; reconnecting' : 'the Docker daemon is unreachable; retrying';
    if (!this.#notices.once('warn', OUTAGE, fields, message)) logger.debug(fields, 'the Docker daemon is still unreachable');
  }
}
