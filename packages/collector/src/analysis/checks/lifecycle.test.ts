import { describe, expect, it } from 'vitest';
import { event, inputFor, tOf } from '../testing/rows.js';
import { checkDied, checkRestart } from './lifecycle.js';

describe('checkDied', () => {
  it('names a die event in the span ± one interval, with its exit code', () => {
    const finding = checkDied(inputFor({ span: [1200, 1700], events: [event(2400, 'die', { exitCode: '137' })] }));
    expect(finding?.kind).toBe('died');
    expect(finding?.message).toBe('orders died with exit code 137 around this span');
    expect(finding?.evidence).toMatchObject({
      window: { startNs: '1700000000200000000', endNs: '1700000002700000000' },
      events: [{ t: tOf(2400), action: 'die', exitCode: '137' }],
    });
  });

  it('names nothing for events outside the window or other actions', () => {
    expect(checkDied(inputFor({ span: [3200, 3700], events: [event(1000, 'die')] }))).toBeNull();
    expect(checkDied(inputFor({ span: [1200, 1700], events: [event(1300, 'health_status', { status: 'healthy' })] }))).toBeNull();
  });
});

describe('checkRestart', () => {
  it('names docker restart', () => {
    const finding = checkRestart(inputFor({ span: [1200, 1700], events: [event(1300, 'kill'), event(1310, 'die'), event(1400, 'start'), event(1401, 'restart')] }));
    expect(finding?.message).toBe('orders restarted around this span (start, restart)');
    expect(finding?.evidence.events).toEqual([
      { t: tOf(1400), action: 'start', exitCode: null },
      { t: tOf(1401), action: 'restart', exitCode: null },
    ]);
  });

  it("names a restart policy's start after a die that came before the window", () => {
    const finding = checkRestart(inputFor({ span: [5200, 5700], events: [event(1000, 'die', { exitCode: '1' }), event(4900, 'start')] }));
    expect(finding?.evidence.events).toEqual([{ t: tOf(4900), action: 'start', exitCode: null }]);
  });

  it("names nothing for a container's first start", () => {
    expect(checkRestart(inputFor({ span: [1200, 1700], events: [event(1000, 'create'), event(1100, 'start')] }))).toBeNull();
    expect(checkRestart(inputFor({ span: [1200, 1700] }))).toBeNull();
  });
});
