import { describe, expect, it } from 'vitest';
import { evidenceFocus } from './evidence.js';
import { readableEvidence } from './evidence-text.js';

const suspect = (evidence: Record<string, never> | Record<string, unknown>) => ({
  spanId: 'b'.repeat(16), containerId: 'c'.repeat(64), kind: 'cpu_throttled', message: 'm',
  evidence: evidence as never,
});

describe('suspect evidence on the charts', () => {
  it('points at the last sample and highlights the window', () => {
    const focus = evidenceFocus(suspect({ window: { startNs: '1700000000000000000', endNs: '1700000002000000000' }, samples: [1700000000000, 1700000001000] }), undefined);
    expect(focus).toEqual({ containerId: 'c'.repeat(64), label: 'cpu_throttled', timeMs: 1700000001000, window: { startMs: 1700000000000, endMs: 1700000002000 }, pointsMs: [1700000000000, 1700000001000] });
  });

  it('uses event times, then the window middle, and gives up without either or a span', () => {
    expect(evidenceFocus(suspect({ events: [{ t: 5, action: 'oom' }] }), undefined)?.timeMs).toBe(5);
    expect(evidenceFocus(suspect({ window: { startNs: '1000000', endNs: '3000000' } }), undefined)?.timeMs).toBe(2);
    expect(evidenceFocus(suspect({ throttledMs: 3 }), undefined)).toBeUndefined();
  });

  it('shows the window and samples as times, the rest as given', () => {
    const text = readableEvidence({ samples: [0], throttledMs: 412, window: { startNs: 'x', endNs: '1' } });
    expect(typeof text.samples).toBe('string');
    expect(text.throttledMs).toBe(412);
    expect(text.window).toEqual({ startNs: 'x', endNs: '1' });
  });
});
