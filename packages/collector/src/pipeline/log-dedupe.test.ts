import { describe, expect, it } from 'vitest';
import { logRow } from '../../test/support/rows.js';
import { LogDedupe } from './log-dedupe.js';

const SECOND_NS = 1_000_000_000n;

function dedupe(nowMillis = { value: 0 }) {
  return new LogDedupe({ toleranceNs: SECOND_NS, maxRemembered: 3, rememberMillis: 1_000, now: () => nowMillis.value });
}

describe('LogDedupe', () => {
  it('an OTLP record replaces one waiting line with the same body, time and trace, and takes its container', () => {
    const d = dedupe();
    const lines = [logRow({ source: 'stdout', body: 'x', timeNs: 10n * SECOND_NS, containerId: 'c1' }), logRow({ source: 'stdout', body: 'x', timeNs: 10n * SECOND_NS, containerId: 'c1' })];
    d.pendingStdout(lines);
    const otlp = logRow({ body: 'x', timeNs: 10n * SECOND_NS + 5n });
    d.otlpArrived([otlp]);
    expect(otlp.containerId).toBe('c1');
    expect(d.stdoutToWrite(lines)).toEqual([lines[1]]); // one record replaces one line
    expect(d.pendingCount).toBe(0); // nothing is kept once the lines are written
    expect(d.replacedWaiting).toBe(0);
  });

  it('does not match a different trace, a far time, or another container', () => {
    const d = dedupe();
    const line = logRow({ source: 'stdout', body: 'x', timeNs: 10n * SECOND_NS, traceId: 'a'.repeat(32), containerId: 'c1' });
    d.pendingStdout([line]);
    d.otlpArrived([
      logRow({ body: 'x', timeNs: 10n * SECOND_NS, traceId: 'b'.repeat(32) }),
      logRow({ body: 'x', timeNs: 12n * SECOND_NS }),
      logRow({ body: 'x', timeNs: 10n * SECOND_NS, containerId: 'c2' }),
      logRow({ body: 'y', timeNs: 10n * SECOND_NS }),
    ]);
    expect(d.stdoutToWrite([line])).toEqual([line]);
  });

  it('a remembered OTLP record drops the line that comes after it, until it is forgotten', () => {
    const now = { value: 0 };
    const d = dedupe(now);
    d.otlpArrived([logRow({ body: 'early', timeNs: SECOND_NS }), logRow({ body: 'late', timeNs: SECOND_NS })]);
    expect(d.stdoutToWrite([logRow({ source: 'stdout', body: 'early', timeNs: SECOND_NS })])).toEqual([]);
    now.value = 5_000; // past rememberMillis
    const late = logRow({ source: 'stdout', body: 'late', timeNs: SECOND_NS });
    expect(d.stdoutToWrite([late])).toEqual([late]);
    expect(d.rememberedCount).toBe(0);
  });

  it('remembers at most maxRemembered OTLP records', () => {
    const d = dedupe();
    d.otlpArrived(Array.from({ length: 10 }, (_, i) => logRow({ body: `m${i}`, timeNs: SECOND_NS })));
    expect(d.rememberedCount).toBe(3);
    const first = logRow({ source: 'stdout', body: 'm0', timeNs: SECOND_NS });
    expect(d.stdoutToWrite([first])).toEqual([first]);
  });
});
