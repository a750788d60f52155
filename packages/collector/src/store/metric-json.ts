import type { ExponentialBuckets, MetricDistribution } from '../model/rows.js';

/*
 * metric_points.distribution as JSON text. OTLP doubles may be NaN or ±Infinity (a summary
 * quantile of an empty window is NaN in Prometheus-style exporters), which JSON cannot hold:
 * JSON.stringify would write null and lose them. They are written as the texts protobuf JSON
 * uses, "NaN", "Infinity" and "-Infinity", and read back as numbers. Reading checks the
 * shape, as json-columns.ts does, because the file outlives the process that wrote it.
 */

type Json = unknown;

const NON_FINITE_BY_TEXT: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

function encodeNumber(_key: string, value: Json): Json {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** JSON text of a distribution, or null for gauge and sum points. */
export function encodeDistribution(distribution: MetricDistribution | null): string | null {
  return distribution === null ? null : JSON.stringify(distribution, encodeNumber);
}

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  // No parameter property: tests load this file with Node's type stripping, which has none.
  private readonly what: string;

  constructor(what: string) {
    this.what = what;
  }

  fail(detail: string): never {
    throw new TypeError(`store column ${this.what}: ${detail}`);
  }

  number(value: Json, name: string): number {
    if (typeof value === 'number') return value;
    const nonFinite = typeof value === 'string' ? NON_FINITE_BY_TEXT.get(value) : undefined;
    return nonFinite ?? this.fail(`${name} is not a number`);
  }

  numbers(value: Json, name: string): number[] {
    if (!Array.isArray(value)) return this.fail(`${name} is not a list`);
    return value.map((item: Json) => this.number(item, name));
  }

  record(value: Json, name: string): Record<string, Json> {
    return isRecord(value) ? value : this.fail(`${name} is not an object`);
  }

  buckets(value: Json, name: string): ExponentialBuckets {
    const side = this.record(value, name);
    return { offset: this.number(side['offset'], `${name}.offset`), counts: this.numbers(side['counts'], `${name}.counts`) };
  }
}

/** The distribution of a row, or null when the column is NULL. */
export function decodeDistribution(text: string | null, what: string): MetricDistribution | null {
  if (text === null) return null;
  const read = new Reader(what);
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    return read.fail('not JSON');
  }
  const value = read.record(parsed, 'distribution');
  switch (value['kind']) {
    case 'explicit':
      return { kind: 'explicit', bounds: read.numbers(value['bounds'], 'bounds'), counts: read.numbers(value['counts'], 'counts') };
    case 'exponential':
      return {
        kind: 'exponential',
        scale: read.number(value['scale'], 'scale'),
        zeroCount: read.number(value['zeroCount'], 'zeroCount'),
        zeroThreshold: read.number(value['zeroThreshold'], 'zeroThreshold'),
        positive: read.buckets(value['positive'], 'positive'),
        negative: read.buckets(value['negative'], 'negative'),
      };
    case 'quantiles': {
      const list = value['quantiles'];
      if (!Array.isArray(list)) return read.fail('quantiles is not a list');
      return {
        kind: 'quantiles',
        quantiles: list.map((item: Json) => {
          const q = read.record(item, 'quantile');
          return { quantile: read.number(q['quantile'], 'quantile'), value: read.number(q['value'], 'value') };
        }),
      };
    }
    default:
      return read.fail('kind is not explicit, exponential or quantiles');
  }
}
