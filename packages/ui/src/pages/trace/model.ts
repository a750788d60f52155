/*
 * The trace page's model, types only: build-model.ts builds it, and the steps it calls
 * (critical-path.ts) read the same types without importing the builder back.
 */
import type { WireContainer, WireLog, WireSpan } from '../../api/wire.js';

/**
 * A trace laid out once for the waterfall: spans in depth-first order (children by start
 * time), each with its depth, the end of its subtree (for collapsing without walking the
 * tree again), its offset on the shared time axis, colour and flags. Built in O(n log n)
 * once per trace; rendering a row then reads plain fields.
 */
export interface SpanRow {
  span: WireSpan;
  depth: number;
  parentIndex: number;
  /** Index after this span's last descendant: rows [index + 1, subtreeEnd) are its subtree. */
  subtreeEnd: number;
  childCount: number;
  /** ms from the trace start, sub-ms exact (from the ns strings by bigint subtraction). */
  offsetMs: number;
  durationMs: number;
  /** ms since the epoch, for the resource charts' time axis. */
  startMs: number;
  endMs: number;
  color: string;
  isError: boolean;
  critical: boolean;
  /** Its parent span id is set but that span is not in the trace (not received, or dropped). */
  orphan: boolean;
}

export interface TraceModel {
  traceId: string;
  rows: SpanRow[];
  indexById: Map<string, number>;
  startMs: number;
  durationMs: number;
  services: string[];
  errorCount: number;
  containers: Map<string, WireContainer>;
  /** Ids of the containers that served at least one span, in order of first use. */
  containerIds: string[];
  logsBySpan: Map<string, WireLog[]>;
}
