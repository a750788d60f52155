import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type {
  ContainerEventRow,
  ContainerRow,
  ContainerSampleRow,
  LogRow,
  MetricPointRow,
  SpanRow,
} from '../../model/rows.js';
import { Params } from './params.js';
import {
  appendContainer, appendEvent, appendLog, appendSample, appendSpanMinute, appendTraceRange, metricPointAppender,
  spanAppender,
} from './rowAppenders.js';
import { spanMinutes } from './span-minutes.js';
import { traceRanges } from './trace-index.js';

/*
 * Batch writes through DuckDB's appender: column values go straight into its buffers, no
 * SQL per row (rowAppenders.ts holds each table's column order). Each batch runs in one
 * transaction: all of it is in the WAL on disk when the promise resolves, or none of it,
 * so the queue may retry a failed batch without duplicating rows.
 */

async function inTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await conn.run('COMMIT');
    return result;
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function appendAll<R>(
  conn: DuckDBConnection,
  table: string,
  rows: readonly R[],
  appendRow: (appender: DuckDBAppender, row: R) => void,
): Promise<number> {
  const appender = await conn.createAppender(table);
  try {
    for (const row of rows) {
      appendRow(appender, row);
      appender.endRow();
    }
  } catch (error) {
    // Drop the buffered rows before closing: a closed-on-GC appender would otherwise
    // flush them into whatever transaction the connection runs at that moment.
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // The original error is the one worth reporting.
    }
    throw error;
  }
  appender.closeSync();
  return rows.length;
}

/**
 * The spans and their rows of span_traces (trace-index.ts) and span_minutes
 * (span-minutes.ts), in one transaction.
 */
export function appendSpans(conn: DuckDBConnection, rows: readonly SpanRow[]): Promise<number> {
  return inTransaction(conn, async () => {
    const written = await appendAll(conn, 'spans', rows, spanAppender());
    await appendAll(conn, 'span_traces', traceRanges(rows), appendTraceRange);
    await appendAll(conn, 'span_minutes', spanMinutes(rows), appendSpanMinute);
    return written;
  });
}

export function appendLogs(conn: DuckDBConnection, rows: readonly LogRow[]): Promise<number> {
  return inTransaction(conn, () => appendAll(conn, 'logs', rows, appendLog));
}

export function appendSamples(
  conn: DuckDBConnection,
  rows: readonly ContainerSampleRow[],
): Promise<number> {
  return inTransaction(conn, () => appendAll(conn, 'container_samples', rows, appendSample));
}

export function appendEvents(
  conn: DuckDBConnection,
  rows: readonly ContainerEventRow[],
): Promise<number> {
  return inTransaction(conn, () => appendAll(conn, 'container_events', rows, appendEvent));
}

export function appendMetricPoints(
  conn: DuckDBConnection,
  rows: readonly MetricPointRow[],
): Promise<number> {
  return inTransaction(conn, () => appendAll(conn, 'metric_points', rows, metricPointAppender()));
}

/** Replaces containers by id; within one batch the last row for an id wins. */
export function replaceContainers(
  conn: DuckDBConnection,
  rows: readonly ContainerRow[],
): Promise<number> {
  const byId = new Map<string, ContainerRow>();
  for (const row of rows) byId.set(row.id, row);
  const latest = [...byId.values()];
  return inTransaction(conn, async () => {
    const p = new Params();
    const ids = p.textList([...byId.keys()]);
    await conn.run(`DELETE FROM containers WHERE list_contains(${ids}, id)`, p.values, p.types);
    return appendAll(conn, 'containers', latest, appendContainer);
  });
}
