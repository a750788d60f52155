/**
 * Splits a newline-delimited byte stream (Docker's events and stats streams) into lines, holding
 * at most `maxLineBytes` of an unfinished line. A longer line is dropped up to its newline and
 * reported through `onOversize`: the stream stays usable and memory stays bounded.
 * @example const lines = new LineSplitter(1 << 20, onLine, onOversize); stream.on('data', (c) => lines.push(c));
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #onOversize: () => void;
  #parts: Buffer[] = [];
  #partBytes = 0;
  /** Set while skipping the rest of an oversized line. */
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
      const end = newline < 0 ? chunk.length : newline;
      if (!this.#skipping) this.#keep(chunk.subarray(start, end));
      if (newline < 0) return;
      if (!this.#skipping) this.#emit();
      this.#skipping = false;
      start = newline + 1;
    }
  }

  #keep(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.#partBytes + piece.length > this.#maxLineBytes) {
      this.#parts = [];
      this.#partBytes = 0;
      this.#skipping = true;
      this.#onOversize();
      return;
    }
    // A copy: a stream may reuse its chunk's memory before the line is complete.
    this.#parts.push(Buffer.from(piece));
    this.#partBytes += piece.length;
  }

  #emit(): void {
    if (this.#partBytes === 0) return;
    const line = (this.#parts.length === 1 ? this.#parts[0] : undefined) ?? Buffer.concat(this.#parts, this.#partBytes);
    this.#parts = [];
    this.#partBytes = 0;
    const text = line.toString('utf8').trim();
    if (text !== '') this.#onLine(text);
  }
}
