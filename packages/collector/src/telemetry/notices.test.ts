import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/logger.js';
import { Notices } from './notices.js';

describe('Notices', () => {
  it('logs a kind when it first happens, then once per interval with the count left out', () => {
    const { logger, lines } = captureLogger();
    let now = 0;
    const notices = new Notices(logger, { intervalMillis: 1_000, nowMillis: () => now });
    for (let i = 0; i < 50; i++) notices.every('info', 'bad', { i }, 'bad request');
    notices.every('warn', 'other', {}, 'another kind');
    now = 999;
    notices.every('info', 'bad', { i: 50 }, 'bad request');
    now = 1_000;
    expect(notices.every('info', 'bad', { i: 51 }, 'bad request')).toBe(true);
    expect(lines().map((l) => [l.msg, l.i, l.suppressed])).toEqual([
      ['bad request', 0, undefined],
      ['another kind', undefined, undefined],
      ['bad request', 51, 50],
    ]);
    expect(lines()[1]?.level).toBe(40);
  });

  it('logs a once-kind a single time, and again after forget()', () => {
    const { logger, lines } = captureLogger();
    const notices = new Notices(logger);
    const logged = [0, 1, 2].map((i) => notices.once('error', 'drop:spans', { i }, 'rows dropped'));
    notices.forget('drop:spans');
    notices.once('error', 'drop:spans', { i: 3 }, 'rows dropped');
    expect(logged).toEqual([true, false, false]);
    expect(lines().map((l) => l.i)).toEqual([0, 3]);
  });

  it('remembers at most maxKinds kinds and logs no new one past them', () => {
    const { logger, lines } = captureLogger();
    const notices = new Notices(logger, { maxKinds: 2 });
    for (const id of ['a', 'b', 'c', 'a']) notices.once('warn', `drop:${id}`, { id }, 'container dropped lines');
    notices.every('warn', 'other', {}, 'not remembered either');
    expect(lines().map((l) => l.id)).toEqual(['a', 'b']);
  });
});
