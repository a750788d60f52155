import type { AttributeValue } from '../model/rows.js';

/** What a resource suspect can be; each kind has its own check under checks/. */
export type SuspectKind =
  | 'cpu_throttled'
  | 'cpu_at_limit'
  | 'memory_near_limit'
  | 'oom'
  | 'restart'
  | 'died'
  | 'noisy_neighbour'
  | 'psi_stall';

/** Plain JSON: times as nanosecond decimal strings, sample times as the samples API's `t` (epoch ms). */
export type Evidence = Record<string, AttributeValue>;

/** What one check found for one span: the kind, a sentence for a person, and the numbers. */
export interface Finding {
  kind: SuspectKind;
  message: string;
  evidence: Evidence;
}

/**
 * A resource suspect of one span, as GET /api/traces/:id/suspects returns it.
 * @example
 * { spanId: '5b8aa5a2d2c872e8', containerId: '3f2a…', kind: 'cpu_throttled',
 *   message: 'orders was CPU-throttled for 412 ms in the 1510 ms around this 530 ms span (cpu limit 0.2 cores)',
 *   evidence: { window: { startNs: '…', endNs: '…' }, samples: [1700000000000, 1700000001000], throttledMs: 412 } }
 */
export interface ResourceSuspect extends Finding {
  spanId: string;
  containerId: string;
}
