/**
 * How the DuckDB instance is set up (Database.open); every field has a default. A file of its
 * own, without the DuckDB binding, so that config.ts can take the defaults and the syntax check.
 */
export interface DatabaseSettings {
  /**
   * DuckDB's `memory_limit` for a file-backed database, in its syntax ('512MB', '2GiB'): its
   * buffer pool and operators (DuckDB's default is 80% of the host's RAM). An in-memory
   * database keeps DuckDB's default: it has no file to evict to, so a limit would fail writes.
   */
  memoryLimit: string;
  /** DuckDB's `threads`. */
  threads: number;
  /** Writer connections: appends (Database.append) run on any idle one, at most this many at once. */
  writers: number;
}

export const DEFAULT_DATABASE_SETTINGS: Readonly<DatabaseSettings> = {
  memoryLimit: '160MiB',
  threads: 2,
  writers: 2,
};

/**
 * Below this a file-backed store cannot commit one batch of the default size: measured, 16 MiB
 * fails to commit 10,000 spans ("could not allocate block of size 256.0 KiB"), 32 MiB holds them.
 */
export const MEMORY_LIMIT_MIN_BYTES = 32 * 1024 * 1024;

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/** A number, optional spaces, and a unit DuckDB's memory_limit takes (any case). */
const MEMORY_LIMIT_PATTERN = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)$/i;

/**
 * The bytes a memory_limit text stands for, as DuckDB reads it (KB = 1000, KiB = 1024), or
 * undefined when DuckDB would refuse it (a bare number, a percentage).
 * @example memoryLimitBytes('512MB') // 512000000
 */
export function memoryLimitBytes(text: string): number | undefined {
  const match = MEMORY_LIMIT_PATTERN.exec(text.trim());
  const unit = UNIT_BYTES[match?.[2]?.toLowerCase() ?? ''];
  if (match === null || unit === undefined) return undefined;
  return Number(match[1]) * unit;
}
