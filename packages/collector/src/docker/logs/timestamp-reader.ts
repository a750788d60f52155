import { parseDockerTimeNs } from '../wire/docker-time.js';

/** "2024-05-01T12:00:00" — the part shared by every line of one second. */
const SECOND_PREFIX_CHARS = 19;
const NS_PER_MS = 1_000_000n;
/** "2024-05-01T12:00:00.123456789Z": the fixed-width UTC form `docker logs --timestamps` writes. */
const FIXED_UTC = /^\.(\d{9})Z$/;

/**
 * Reads the RFC 3339 timestamps that prefix container log lines. Lines of the same second
 * share their first 19 characters, so the date part is parsed once per second and only
 * the nine fraction digits per line: a log flood stays cheap.
 */
export class TimestampReader {
  #secondPrefix = '';
  #secondNs = 0n;

  /** Nanoseconds since the epoch, or null when `bytes` is no timestamp. */
  read(bytes: Buffer): bigint | null {
    const text = bytes.toString('latin1');
    const fraction = FIXED_UTC.exec(text.slice(SECOND_PREFIX_CHARS));
    if (fraction?.[1] !== undefined && text.length === SECOND_PREFIX_CHARS + 11) {
      const prefix = text.slice(0, SECOND_PREFIX_CHARS);
      if (prefix !== this.#secondPrefix) {
        const ms = Date.parse(`${prefix}Z`);
        if (!Number.isFinite(ms)) return null;
        this.#secondPrefix = prefix;
        this.#secondNs = BigInt(ms) * NS_PER_MS;
      }
      return this.#secondNs + BigInt(fraction[1]);
    }
    return parseDockerTimeNs(text);
  }
}
