import { describe, expect, it } from 'vitest';
import { hasDetails, logDetails } from './log-details.js';

describe('what is shown under a log row', () => {
  it('takes the exception out of the attributes, stack trace line breaks kept', () => {
    const stacktrace = 'Traceback (most recent call last):\n  File "/app/pay.py", line 12, in charge\nValueError: card declined';
    const details = logDetails({
      source: 'otlp',
      attributes: { 'exception.type': 'ValueError', 'exception.message': 'card declined', 'exception.stacktrace': stacktrace, 'code.lineno': 12, 'code.function': 'charge' },
    });
    expect(details.exception).toEqual({ type: 'ValueError', message: 'card declined', stacktrace });
    expect(details.attributes).toEqual([
      { key: 'code.function', text: 'charge' },
      { key: 'code.lineno', text: '12' },
    ]);
  });

  it('has an exception with any one of its three attributes, the others empty', () => {
    expect(logDetails({ source: 'otlp', attributes: { 'exception.stacktrace': 'at Main.run(Main.java:3)' } }).exception).toEqual({ type: '', message: '', stacktrace: 'at Main.run(Main.java:3)' });
    expect(logDetails({ source: 'otlp', attributes: { 'exception.escaped': true } }).exception).toBeUndefined();
  });

  it('shows non-string values as JSON', () => {
    expect(logDetails({ source: 'otlp', attributes: { list: [1, 'a'], map: { k: null }, flag: false } }).attributes).toEqual([
      { key: 'flag', text: 'false' },
      { key: 'list', text: '[1,"a"]' },
      { key: 'map', text: '{"k":null}' },
    ]);
  });

  it("leaves out a container line's stream, which the Source column says, unless it differs", () => {
    const plain = logDetails({ source: 'stdout', attributes: { 'log.iostream': 'stdout' } });
    expect(plain.attributes).toEqual([]);
    expect(hasDetails(plain)).toBe(false);
    expect(logDetails({ source: 'otlp', attributes: { 'log.iostream': 'stderr' } }).attributes).toEqual([{ key: 'log.iostream', text: 'stderr' }]);
  });

  it('has nothing to show for a record without attributes', () => {
    expect(hasDetails(logDetails({ source: 'otlp', attributes: {} }))).toBe(false);
    expect(hasDetails(logDetails({ source: 'otlp', attributes: { k: 'v' } }))).toBe(true);
  });
});
