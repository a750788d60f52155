import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/logger.js';
import { Notices } from './notices.js';

describe('Notices', () => {
  it('logs a kind when it first happens, then once per interval with the count left out', () => {
    const { logger, lines } = captureLogger();
    let now = 0;
    const notices = new Notices(logger, 1_000, () => now);
    for (let i = 0; i < 50; i++) notices.every('info', 'bad', { i }, 'bad request');
    notices.every('warn', 'other', {}, 'another kind');
    now = 999;
    notices.every('info', 'bad', { i: 50 }, 'bad request');
    now = 1_000;
    notices.every('info', 'bad', { i: 51 }, 'bad request');
    expect(lines().map((l) => [l.msg, l.i, l.suppressed])).toEqual([
      ['bad request', 0, undefined],
      ['another kind', undefined, undefined],
      ['bad request', 51, 50],
    ]);
    expect(lines()[1]?.level).toBe(40);
  });

  it('logs a once-kind a single time', () => {
    const { logger, lines } = captureLogger();
    const notices = new Notices(logger);
    for (let i = 0; i < 3; i++) notices.once('error', 'drop:spans', { i }, 'rows dropped');
    expect(lines().map((l) => l.i)).toEqual([0]);
  });
});
