import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.js';
import { within } from './within.js';

const never = new Promise<void>(() => undefined);

describe('within', () => {
  it("says 'done' when the work fulfils first, and 'timeout' when it does not settle in time", async () => {
    expect(await within(Promise.resolve(42), 60_000)).toBe('done');
    expect(await within(never, 0)).toBe('timeout');
  });

  it('passes a rejection of the work on', async () => {
    await expect(within(Promise.reject(new Error('store broke')), 60_000)).rejects.toThrow('store broke');
  });
});

describe('sleep', () => {
  it('resolves true when the time is up, and false at once when the signal aborts', async () => {
    const stop = new AbortController();
    expect(await sleep(0, stop.signal)).toBe(true);
    const waiting = sleep(60_000, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
    expect(await sleep(60_000, stop.signal)).toBe(false);
  });
});
