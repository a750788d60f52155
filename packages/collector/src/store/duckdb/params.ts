import { BIGINT, DOUBLE, INTEGER, LIST, UBIGINT, VARCHAR, listValue } from '@duckdb/node-api';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';

/**
 * Collects bound parameters while a query's SQL is assembled from optional filters; each
 * method returns the placeholder to put in the SQL. Types are explicit because the driver
 * would infer HUGEINT for every bigint, and comparing a BIGINT column with a HUGEINT casts
 * the column and loses zone-map pruning.
 *
 * @example
 *   const p = new Params();
 *   const sql = `SELECT * FROM logs WHERE time_ns >= ${p.bigint(range.startNs)}`;
 *   await conn.runAndReadAll(sql, p.values, p.types);
 */
export class Params {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  bigint(value: bigint): string {
    return this.add(value, BIGINT);
  }

  ubigint(value: bigint): string {
    return this.add(value, UBIGINT);
  }

  text(value: string): string {
    return this.add(value, VARCHAR);
  }

  integer(value: number): string {
    return this.add(value, INTEGER);
  }

  double(value: number): string {
    return this.add(value, DOUBLE);
  }

  textList(values: readonly string[]): string {
    return this.add(listValue([...values]), LIST(VARCHAR));
  }

  private add(value: DuckDBValue, type: DuckDBType): string {
    this.values.push(value);
    this.types.push(type);
    return `$${this.values.length}`;
  }
}
