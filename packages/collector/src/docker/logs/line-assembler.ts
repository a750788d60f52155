import type { FrameSink, StdStream } from './frame-demux.js';
import { TimestampReader } from './timestamp-reader.js';

/** One container log line, its Docker timestamp read off and its length bounded. */
export interface RawLogLine {
  stream: StdStream;
  /** Docker's receive time (the `timestamps=true` prefix); null when the prefix was missing. */
  dockerTimeNs: bigint | null;
  /**
   * The line without its newline (nor a TTY's \r). Valid only during the callback: it may
   * share memory with the stream's chunk, so a consumer that keeps it must copy it.
   */
  bytes: Buffer;
  truncated: boolean;
}

/** "2024-05-01T12:00:00.000000000Z " is 31 bytes; offsets like +02:00 make it 36. */
const TIMESTAMP_MAX_BYTES = 40;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const EMPTY = Buffer.alloc(0);

interface StreamState {
  /** The next bytes begin a message, which starts with a timestamp and a space. */
  expectTimestamp: boolean;
  timestamp: Buffer[];
  timestampBytes: number;
  timeNs: bigint | null;
  /** Parts of a line that spans chunks (copied); empty while a line lies within one chunk. */
  parts: Buffer[];
  bytes: number;
  truncated: boolean;
}

function freshState(): StreamState {
  return { expectTimestamp: true, timestamp: [], timestampBytes: 0, timeNs: null, parts: [], bytes: 0, truncated: false };
}

/**
 * Turns `docker logs --timestamps` output into lines, per stream. Each message begins with
 * an RFC 3339 timestamp and a space; a message without a trailing newline is a partial
 * line (Docker splits lines at 16 KiB) whose next frame continues it after its own
 * timestamp. Lines longer than maxLineBytes are cut and flagged; only a line that spans
 * chunks is copied, so a flood of short lines costs no allocation per line here.
 * Raw (TTY) streams have no frames: a message starts after each newline.
 * @example const lines = new LineAssembler(65_536, (line) => handle(line)); new FrameDemuxer(lines);
 */
export class LineAssembler implements FrameSink {
  readonly #maxLineBytes: number;
  readonly #onLine: (line: RawLogLine) => void;
  readonly #states: Record<StdStream, StreamState> = { stdout: freshState(), stderr: freshState() };
  readonly #timestamps = new TimestampReader();

  constructor(maxLineBytes: number, onLine: (line: RawLogLine) => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
  }

  data(stream: StdStream, bytes: Buffer): void {
    const state = this.#states[stream];
    let offset = 0;
    while (offset < bytes.length) {
      if (state.expectTimestamp) {
        offset = this.#readTimestamp(state, bytes, offset);
        continue;
      }
      const newline = bytes.indexOf(NEWLINE, offset);
      if (newline < 0) {
        this.#hold(state, bytes.subarray(offset));
        return;
      }
      if (state.parts.length === 0 && !state.truncated) this.#emitWhole(stream, state, bytes.subarray(offset, newline));
      else {
        this.#hold(state, bytes.subarray(offset, newline));
        this.#emitHeld(stream, state);
      }
      offset = newline + 1;
    }
  }

  frameEnd(stream: StdStream): void {
    this.#states[stream].expectTimestamp = true;
  }

  /** The stream ended: an unfinished line is a line. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.#states[stream];
      if (state.bytes > 0 || state.truncated) this.#emitHeld(stream, state);
    }
  }

  #readTimestamp(state: StreamState, bytes: Buffer, offset: number): number {
    const space = bytes.indexOf(SPACE, offset);
    const end = space < 0 ? bytes.length : space;
    if (space >= 0 && state.timestampBytes === 0) {
      // The usual case: the whole prefix in this chunk, read without a copy.
      return this.#timestampRead(state, bytes.subarray(offset, end), end);
    }
    state.timestamp.push(Buffer.from(bytes.subarray(offset, end)));
    state.timestampBytes += end - offset;
    if (space < 0 && state.timestampBytes <= TIMESTAMP_MAX_BYTES) return bytes.length;
    const prefix = Buffer.concat(state.timestamp);
    state.timestamp = [];
    state.timestampBytes = 0;
    return this.#timestampRead(state, space < 0 ? EMPTY : prefix, end, prefix);
  }

  /** `prefix` read as a time; when it is none, `asContent` (default: the prefix) is line content. */
  #timestampRead(state: StreamState, prefix: Buffer, end: number, asContent: Buffer = prefix): number {
    state.expectTimestamp = false;
    const timeNs = prefix.length <= TIMESTAMP_MAX_BYTES ? this.#timestamps.read(prefix) : null;
    if (timeNs === null) {
      this.#hold(state, asContent);
      return end;
    }
    // A partial line's continuation keeps the time of its first part.
    if (state.bytes === 0 && !state.truncated) state.timeNs = timeNs;
    return end + 1;
  }

  #hold(state: StreamState, part: Buffer): void {
    if (part.length === 0) return;
    const room = this.#maxLineBytes - state.bytes;
    if (room <= 0) {
      state.truncated = true;
      return;
    }
    const kept = part.length <= room ? part : part.subarray(0, room);
    if (kept.length < part.length) state.truncated = true;
    state.parts.push(Buffer.from(kept));
    state.bytes += kept.length;
  }

  #emitWhole(stream: StdStream, state: StreamState, line: Buffer): void {
    const truncated = line.length > this.#maxLineBytes;
    this.#emit(stream, state, truncated ? line.subarray(0, this.#maxLineBytes) : line, truncated);
  }

  #emitHeld(stream: StdStream, state: StreamState): void {
    this.#emit(stream, state, Buffer.concat(state.parts, state.bytes), state.truncated);
  }

  #emit(stream: StdStream, state: StreamState, line: Buffer, truncated: boolean): void {
    const end = line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length;
    const timeNs = state.timeNs;
    state.parts = [];
    state.bytes = 0;
    state.truncated = false;
    state.timeNs = null;
    state.expectTimestamp = true;
    this.#onLine({ stream, dockerTimeNs: timeNs, bytes: line.subarray(0, end), truncated });
  }
}
