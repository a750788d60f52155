import type Docker from 'dockerode';
import { CONTAINER_ACTIONS } from '../wire/event.js';
import { LineSplitter } from '../line-splitter.js';

/** An event carries the container's labels; a megabyte is far beyond any real one. */
const EVENT_MAX_BYTES = 1024 * 1024;
const NS_PER_MICRO = 1_000n;
const MICROS_PER_S = 1e6;

export interface EventStreamOptions {
  docker: Docker;
  signal: AbortSignal;
  /** Replays the daemon's buffered events from then (after a reconnect); null: from now. */
  sinceNs: bigint | null;
  onLine: (line: string) => void;
  onOversize: () => void;
  /** A handler threw (a bug): reported, and the stream goes on with the next line. */
  onError: (error: unknown) => void;
}

/**
 * Opens `GET /events` for container events of the actions tracedock keeps. Resolves once
 * the daemon answered, with `ended`, which settles (never rejects) when the stream ends,
 * fails or `signal` aborts.
 * @example const { ended } = await openEventStream({ docker, signal, sinceNs: null, onLine, onOversize }); await ended;
 */
export async function openEventStream(options: EventStreamOptions): Promise<{ ended: Promise<void> }> {
  const { docker, signal, sinceNs, onLine, onOversize, onError } = options;
  const filters = JSON.stringify({ type: ['container'], event: [...CONTAINER_ACTIONS] });
  const query: Docker.GetEventsOptions & { abortSignal: AbortSignal } = { filters, abortSignal: signal };
  // Seconds with a microsecond fraction: a little earlier than sinceNs at most; the caller
  // drops what it has already seen.
  const since = sinceNs === null ? undefined : Number(sinceNs / NS_PER_MICRO) / MICROS_PER_S;
  const stream = await docker.getEvents(since === undefined ? query : { ...query, since });
  const guarded = (line: string): void => {
    try {
      onLine(line);
    } catch (error) {
      onError(error);
    }
  };
  const splitter = new LineSplitter(EVENT_MAX_BYTES, guarded, onOversize);
  const ended = new Promise<void>((resolve) => {
    const finish = (): void => {
      signal.removeEventListener('abort', finish);
      resolve();
    };
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
    signal.addEventListener('abort', finish, { once: true });
  });
  return { ended };
}
