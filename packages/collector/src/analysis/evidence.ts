import type { AttributeValue } from '../model/rows.js';
import type { Timed } from './sample-window.js';

/*
 * Shared pieces of evidence, so that every check states its window and samples the same way
 * and a person can find them in the charts: windows as ns decimal strings (the API's times),
 * samples by their `t` on GET /api/containers/:id/samples (epoch ms).
 */

const NS_PER_MS = 1_000_000n;

/** Epoch ms as the samples API reports `t`; bigint division first keeps sub-ms digits exact. */
export function epochMs(ns: bigint): number {
  return Number(ns / NS_PER_MS) + Number(ns % NS_PER_MS) / 1e6;
}

export function durationMs(startNs: bigint, endNs: bigint): number {
  return Number(endNs - startNs) / 1e6;
}

export function windowEvidence(startNs: bigint, endNs: bigint): { [key: string]: AttributeValue } {
  return { startNs: startNs.toString(), endNs: endNs.toString() };
}

export function sampleTimes(samples: readonly Timed[]): number[] {
  return samples.map((s) => epochMs(s.timeNs));
}

/** Rounds for messages and evidence: evidence is to be read by people, not re-derived exactly. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** "412 ms", "1.5 s": spans are read in ms, windows of samples often in seconds. */
export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${round(ms / 1000, 1)} s` : `${Math.round(ms)} ms`;
}

const MIB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * MIB ? `${round(bytes / (1024 * MIB), 2)} GiB` : `${round(bytes / MIB, 1)} MiB`;
}
