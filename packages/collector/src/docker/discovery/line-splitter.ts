/**
 * Splits a byte stream into newline-terminated lines, holding at most `maxLineBytes` of an
 * unfinished line: a longer one is skipped up to its newline and reported as oversize.
 * @example const splitter = new LineSplitter(1 << 20, (line) => handle(line), () => count()); stream.on('data', (b) => splitter.push(b));
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #onOversize: () => void;
  #parts: Buffer[] = [];
  #bytes = 0;
  #skipping = false;

  constructor(maxLineBytes: number, onLine: (line: string) => void, onOversize: () => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
    this.#onOversize = onOversize;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) {
        this.#hold(chunk.subarray(start));
        return;
      }
      this.#hold(chunk.subarray(start, newline));
      if (!this.#skipping) this.#onLine(Buffer.concat(this.#parts, this.#bytes).toString('utf8'));
      this.#parts = [];
      this.#bytes = 0;
      this.#skipping = false;
      start = newline + 1;
    }
  }

  #hold(part: Buffer): void {
    if (this.#skipping || part.length === 0) return;
    if (this.#bytes + part.length > this.#maxLineBytes) {
      this.#skipping = true;
      this.#parts = [];
      this.#bytes = 0;
      this.#onOversize();
      return;
    }
    // A copy: the stream may reuse its chunk's memory.
    this.#parts.push(Buffer.from(part));
    this.#bytes += part.length;
  }
}
