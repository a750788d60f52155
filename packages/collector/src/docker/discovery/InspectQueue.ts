import type Docker from 'dockerode';
import { timeoutSignal } from '../connection/abortable.js';
import type { ContainerMeta } from '../ContainerMeta.js';
import { parseInspect } from '../wire/inspect.js';

export type InspectResult =
  | { kind: 'ok'; meta: ContainerMeta }
  | { kind: 'gone' }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; error: unknown };

export interface InspectQueueOptions {
  docker: Docker;
  signal: AbortSignal;
  timeoutMillis: number;
  /** Inspects in flight at once. */
  concurrency: number;
  onResult: (id: string, result: InspectResult) => void;
}

const HTTP_NOT_FOUND = 404;

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

/**
 * Inspects containers a few at a time, coalescing requests: an id asked for again while
 * queued is inspected once; while in flight, once more afterwards (its state moved on).
 * Waiting ids are bounded by the containers that exist. Ends with the session's signal.
 * @example const queue = new InspectQueue({ docker, signal, timeoutMillis, concurrency: 8, onResult }); queue.request(id); await queue.idle();
 */
export class InspectQueue {
  readonly #options: InspectQueueOptions;
  /** Asked for by an event: inspected before the ids of a resync, which may be hundreds. */
  readonly #urgent = new Set<string>();
  readonly #waiting = new Set<string>();
  readonly #inFlight = new Set<string>();
  readonly #again = new Set<string>();
  #idleWaiters: (() => void)[] = [];

  constructor(options: InspectQueueOptions) {
    this.#options = options;
  }

  request(id: string, urgent = false): void {
    if (this.#options.signal.aborted) return;
    if (this.#inFlight.has(id)) this.#again.add(id);
    else if (urgent) {
      this.#waiting.delete(id);
      this.#urgent.add(id);
    } else if (!this.#urgent.has(id)) this.#waiting.add(id);
    this.#pump();
  }

  /** Resolves once nothing is waiting or in flight (at once when the session ended). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return this.#options.signal.aborted || (this.#urgent.size === 0 && this.#waiting.size === 0 && this.#inFlight.size === 0);
  }

  #pump(): void {
    const { concurrency, signal } = this.#options;
    while (!signal.aborted && this.#inFlight.size < concurrency) {
      const queue = this.#urgent.size > 0 ? this.#urgent : this.#waiting;
      const id = queue.values().next().value;
      if (id === undefined) break;
      queue.delete(id);
      this.#inFlight.add(id);
      void this.#inspect(id).then((result) => this.#finish(id, result));
    }
    if (this.#isIdle()) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async #inspect(id: string): Promise<InspectResult> {
    const { docker, signal, timeoutMillis } = this.#options;
    try {
      const payload: unknown = await docker.getContainer(id).inspect({ abortSignal: timeoutSignal(signal, timeoutMillis) });
      const parsed = parseInspect(payload);
      return parsed.ok ? { kind: 'ok', meta: parsed.meta } : { kind: 'invalid', message: parsed.message };
    } catch (error) {
      return statusCodeOf(error) === HTTP_NOT_FOUND ? { kind: 'gone' } : { kind: 'failed', error };
    }
  }

  #finish(id: string, result: InspectResult): void {
    this.#inFlight.delete(id);
    if (this.#again.delete(id)) this.#urgent.add(id);
    if (!this.#options.signal.aborted) this.#options.onResult(id, result);
    this.#pump();
  }
}
