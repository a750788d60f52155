import type { ClickHouseClient } from '@clickhouse/client';
import type { ResultRow } from '../../duckdb/columns.js';

/** What every ClickHouse read needs: the reader's client and its database, quoted (schema.ts quoteIdentifier). */
export interface ClickHouseQueryContext {
  client: ClickHouseClient;
  db: string;
}

/** A JSONEachRow record as the reader's client settings give it (Int64 and denormals quoted). */
export type ClickHouseRecord = Record<string, unknown>;

/** Rows of one parameterised SELECT ({name:Type} placeholders, bound by the server). */
export async function selectRecords(
  ctx: ClickHouseQueryContext,
  query: string,
  params: Record<string, unknown> = {},
): Promise<ClickHouseRecord[]> {
  const result = await ctx.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<ClickHouseRecord>();
}

function fail(column: string, expected: string, value: unknown): never {
  throw new TypeError(`ClickHouse column ${column}: expected ${expected}, got ${value === undefined ? 'nothing' : typeof value}`);
}

/** An Int64 column, which the client's settings quote (a JSON number would lose nanoseconds). */
export function int64(record: ClickHouseRecord, column: string): bigint {
  const value = record[column];
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) fail(column, 'an Int64 as a decimal string', value);
  return BigInt(value);
}

const DENORMALS: Record<string, number> = { nan: Number.NaN, '-nan': Number.NaN, inf: Number.POSITIVE_INFINITY, '+inf': Number.POSITIVE_INFINITY, '-inf': Number.NEGATIVE_INFINITY };

/** A Float64 column: a JSON number, or NaN / ±inf as the quoted text ClickHouse writes for them. */
export function float64(record: ClickHouseRecord, column: string): number {
  const value = record[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const denormal = DENORMALS[value.toLowerCase()];
    if (denormal !== undefined) return denormal;
  }
  return fail(column, 'a Float64', value);
}

/**
 * A ClickHouse record as the row the DuckDB store's decoders (duckdb/mapRows.ts) read, so both
 * stores decode one way: the named Int64 columns become bigint, the named Float64 columns
 * numbers (NaN and infinities included); null stays null, the rest is passed as JSON gave it
 * and checked by the decoder.
 */
export function toResultRow(
  record: ClickHouseRecord,
  int64Columns: readonly string[],
  float64Columns: readonly string[] = [],
): ResultRow {
  const row: Record<string, unknown> = { ...record };
  for (const column of int64Columns) if (record[column] !== null) row[column] = int64(record, column);
  for (const column of float64Columns) if (record[column] !== null) row[column] = float64(record, column);
  return row as ResultRow;
}
