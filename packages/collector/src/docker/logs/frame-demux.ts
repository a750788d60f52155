export type StdStream = 'stdout' | 'stderr';

export interface FrameSink {
  /** Payload bytes of the current frame (or of the raw stream), in order. */
  data(stream: StdStream, bytes: Buffer): void;
  /** A frame ended: the next bytes of `stream` begin a new message. */
  frameEnd(stream: StdStream): void;
}

const HEADER_BYTES = 8;
const STREAM_STDOUT = 1;
const STREAM_STDERR = 2;
const STREAM_STDIN = 0;

/**
 * Docker's multiplexed stream (non-TTY containers): each frame is an 8-byte header —
 * stream type (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload length as a
 * big-endian uint32 — then the payload. Payloads are passed on as they arrive, never
 * buffered whole, so a huge frame costs no memory here. A header with an unknown stream
 * type means the stream is raw after all (a TTY): the rest goes to stdout unframed.
 * @example const demux = new FrameDemuxer(sink); stream.on('data', (chunk) => demux.push(chunk));
 */
export class FrameDemuxer {
  readonly #sink: FrameSink;
  readonly #header = Buffer.alloc(HEADER_BYTES);
  #headerBytes = 0;
  #remaining = 0;
  #stream: StdStream = 'stdout';
  #raw = false;

  constructor(sink: FrameSink) {
    this.#sink = sink;
  }

  /** True once a header made no sense and the stream is read raw. */
  get raw(): boolean {
    return this.#raw;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#raw) {
        this.#sink.data('stdout', chunk.subarray(offset));
        return;
      }
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, chunk.length - offset);
        this.#sink.data(this.#stream, chunk.subarray(offset, offset + take));
        this.#remaining -= take;
        offset += take;
        if (this.#remaining === 0) this.#sink.frameEnd(this.#stream);
        continue;
      }
      const take = Math.min(HEADER_BYTES - this.#headerBytes, chunk.length - offset);
      chunk.copy(this.#header, this.#headerBytes, offset, offset + take);
      this.#headerBytes += take;
      offset += take;
      if (this.#headerBytes === HEADER_BYTES) this.#startFrame();
    }
  }

  #startFrame(): void {
    this.#headerBytes = 0;
    const type = this.#header.readUInt8(0);
    if (type !== STREAM_STDOUT && type !== STREAM_STDERR && type !== STREAM_STDIN) {
      this.#raw = true;
      this.#sink.data('stdout', Buffer.from(this.#header));
      return;
    }
    this.#stream = type === STREAM_STDERR ? 'stderr' : 'stdout';
    this.#remaining = this.#header.readUInt32BE(4);
    if (this.#remaining === 0) this.#sink.frameEnd(this.#stream);
  }
}
