import { describe, expect, it } from 'vitest';
import type { WriteResult } from '../store/Store.js';
import { writeWithRetry, type RetryPolicy } from './write-retry.js';

const POLICY: RetryPolicy = { maxAttempts: 4, backoff: { initialMillis: 100, maxMillis: 250 } };
const busy: WriteResult = { ok: false, retryable: true, error: new Error('busy') };

/** A store answering `results` in turn, and a wait that records the backoffs instead of sleeping. */
function scripted(results: (WriteResult | Error)[], waitAnswer = true) {
  const waits: number[] = [];
  let calls = 0;
  const write = async (rows: readonly number[]): Promise<WriteResult> => {
    calls += 1;
    const next = results.shift() ?? { ok: true, written: rows.length };
    if (next instanceof Error) throw next;
    return next;
  };
  const wait = async (millis: number): Promise<boolean> => (waits.push(millis), waitAnswer);
  return { write, wait, waits, calls: () => calls };
}

describe('writeWithRetry', () => {
  it('retries a retryable result after full-jitter backoffs until the write goes through', async () => {
    const store = scripted([busy, busy, busy]);
    const outcome = await writeWithRetry(store.write, [1, 2], { policy: POLICY, random: () => 1, wait: store.wait });
    expect(outcome).toEqual({ stored: true, written: 2 });
    expect(store.waits).toEqual([100, 200, 250]);
  });

  it('gives up after maxAttempts attempts in all', async () => {
    const store = scripted([busy, busy, busy, busy, busy]);
    const outcome = await writeWithRetry(store.write, [1], { policy: POLICY, random: () => 0.5, wait: store.wait });
    expect(outcome).toMatchObject({ stored: false, reason: 'retries_exhausted', error: { message: 'busy' } });
    expect(store.calls()).toBe(4);
    expect(store.waits).toEqual([50, 100, 125]);
  });

  it('drops at once on a result that is not retryable, or a write that throws', async () => {
    const final = scripted([{ ok: false, retryable: false, error: new Error('schema') }]);
    expect(await writeWithRetry(final.write, [1], { policy: POLICY, wait: final.wait })).toMatchObject({ stored: false, reason: 'store_error' });
    const throwing = scripted([new Error('bug')]);
    expect(await writeWithRetry(throwing.write, [1], { policy: POLICY, wait: throwing.wait })).toMatchObject({ stored: false, reason: 'store_error', error: { message: 'bug' } });
    expect([final.calls(), throwing.calls(), final.waits.length + throwing.waits.length]).toEqual([1, 1, 0]);
  });

  it('drops as shutdown_timeout when shutdown cuts a backoff short', async () => {
    const store = scripted([busy], false);
    const outcome = await writeWithRetry(store.write, [1], { policy: POLICY, wait: store.wait });
    expect(outcome).toMatchObject({ stored: false, reason: 'shutdown_timeout' });
    expect(store.calls()).toBe(1);
  });
});
