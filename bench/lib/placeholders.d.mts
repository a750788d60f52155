// Types of placeholders.mjs, for the tests that import it (test/bench-placeholders.test.ts).

/** The part of a result file entry (lib/report.mjs) a placeholder reads. */
export interface ResultEntry {
  id: string;
  min: number;
  median: number;
  max: number;
  digits?: number | null;
}

/** The part of a result file (bench/results/<bench>.json) a placeholder reads. */
export interface BenchResult {
  bench: string;
  startedAt: string;
  entries: readonly ResultEntry[];
}

export interface MissingPlaceholder {
  placeholder: string;
  reason: string;
}

export declare const NOT_MEASURED: string;

export declare function fillPlaceholders(
  text: string,
  results: ReadonlyMap<string, BenchResult>,
): { text: string; missing: MissingPlaceholder[] };
