/**
 * The SDK's own warnings about delivery (collector unreachable, queue full, batch given up),
 * written once per episode to stderr: an outage must be visible in the service's output without
 * adding a line per failed export. An episode ends when an export succeeds again.
 */
export type Emit = (line: string) => void;

const toStderr: Emit = (line) => {
  process.stderr.write(`${line}\n`);
};

export class SelfLog {
  readonly #said = new Set<string>();

  constructor(
    readonly signal: 'spans' | 'logs' | 'metrics' | 'sdk',
    private readonly emit: Emit = toStderr,
  ) {}

  /** Says `message` unless `key` was said since the last recovery. */
  once(key: string, message: string): void {
    if (this.#said.has(key)) return;
    this.#said.add(key);
    this.emit(this.#line(message));
  }

  recovered(message: string): void {
    if (this.#said.size === 0) return;
    this.#said.clear();
    this.emit(this.#line(message));
  }

  #line(message: string): string {
    return this.signal === 'sdk' ? `@tracedock/sdk: ${message}` : `@tracedock/sdk ${this.signal}: ${message}`;
  }
}
