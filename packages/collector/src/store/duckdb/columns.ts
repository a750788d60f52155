import { DuckDBListValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';

/**
 * Typed reads of one result row. A value of the wrong type means the file does not hold
 * what schema.ts says, so it throws naming the column instead of passing it on cast.
 */
export type ResultRow = Record<string, DuckDBValue>;

function fail(column: string, expected: string, value: DuckDBValue | undefined): never {
  const shown = value === undefined ? 'nothing' : typeof value;
  throw new TypeError(`store column ${column}: expected ${expected}, got ${shown}`);
}

export function readString(row: ResultRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') fail(column, 'a string', value);
  return value;
}

export function readNullableString(row: ResultRow, column: string): string | null {
  return row[column] === null ? null : readString(row, column);
}

export function readBigInt(row: ResultRow, column: string): bigint {
  const value = row[column];
  if (typeof value !== 'bigint') fail(column, 'a bigint', value);
  return value;
}

export function readNullableBigInt(row: ResultRow, column: string): bigint | null {
  return row[column] === null ? null : readBigInt(row, column);
}

/** Numbers, and integer columns that the driver returns as bigint (counts). */
export function readNumber(row: ResultRow, column: string): number {
  const value = row[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    const asNumber = Number(value);
    if (!Number.isSafeInteger(asNumber)) fail(column, 'a safe integer', value);
    return asNumber;
  }
  return fail(column, 'a number', value);
}

export function readNullableNumber(row: ResultRow, column: string): number | null {
  return row[column] === null ? null : readNumber(row, column);
}

export function readStringList(row: ResultRow, column: string): string[] {
  const value = row[column];
  if (!(value instanceof DuckDBListValue)) return fail(column, 'a list', value);
  return value.items.map((item) => {
    if (typeof item !== 'string') fail(column, 'a list of strings', item);
    return item;
  });
}

/** Reads a one-row aggregate that must exist (count(*), min(...)). */
export function firstRow(rows: readonly ResultRow[], what: string): ResultRow {
  const row = rows[0];
  if (row === undefined) throw new Error(`store query for ${what} returned no row`);
  return row;
}
