import { describe, expect, it } from 'vitest';
import { parseLogLine } from './parse-line.js';
import { TokenBucket } from './token-bucket.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('parseLogLine', () => {
  it('reads a pino line: numeric level, msg, ms time, trace_id/span_id; the rest are attributes', () => {
    const line = JSON.stringify({ level: 50, time: 1714564800123, pid: 7, hostname: 'h', msg: 'boom', trace_id: TRACE, span_id: SPAN, trace_flags: '01', order: { id: 3 } });
    expect(parseLogLine(line, 'stdout')).toEqual({
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'boom',
      attributes: { 'log.iostream': 'stdout', pid: 7, hostname: 'h', trace_flags: '01', order: { id: 3 } },
      traceId: TRACE,
      spanId: SPAN,
      timeNs: 1714564800123000000n,
    });
  });

  it('maps every pino level', () => {
    const numbers = [10, 20, 30, 40, 50, 60].map((level) => parseLogLine(JSON.stringify({ level, msg: 'x' }), 'stdout').severityNumber);
    expect(numbers).toEqual([1, 5, 9, 13, 17, 21]);
  });

  it('reads string levels, message/timestamp (winston) and traceId/spanId, keeping the level text', () => {
    const line = JSON.stringify({ level: 'warn', message: 'slow', timestamp: '2024-05-01T12:00:00.5Z', traceId: TRACE.toUpperCase(), spanId: SPAN });
    expect(parseLogLine(line, 'stderr')).toMatchObject({
      severityNumber: 13, severityText: 'warn', body: 'slow', traceId: TRACE, spanId: SPAN, timeNs: 1714564800500000000n,
    });
  });

  it('reads zap: ts in float seconds', () => {
    const parsed = parseLogLine(JSON.stringify({ level: 'info', ts: 1714564800.25, msg: 'hi' }), 'stdout');
    expect(parsed.timeNs).toBe(1714564800250000000n);
  });

  it('keeps fields it cannot read as what their name says as attributes', () => {
    const parsed = parseLogLine(JSON.stringify({ level: 'chatty', msg: 'x', trace_id: 'nope', time: 'never', span_id: '0000000000000000' }), 'stdout');
    expect(parsed).toMatchObject({ severityNumber: 9, traceId: null, spanId: null, timeNs: null });
    expect(parsed.attributes).toMatchObject({ level: 'chatty', trace_id: 'nope', time: 'never', span_id: '0000000000000000' });
  });

  it('keeps a JSON line without a message field as the body', () => {
    const line = '{"event":"started","port":8080}';
    expect(parseLogLine(line, 'stdout')).toMatchObject({ body: line, attributes: { event: 'started', port: 8080 } });
  });

  it('gives plain lines the stream severity: stdout INFO, stderr WARN', () => {
    expect(parseLogLine('listening on 8080', 'stdout')).toMatchObject({ severityNumber: 9, severityText: 'INFO', body: 'listening on 8080', traceId: null });
    expect(parseLogLine('{not json', 'stderr')).toMatchObject({ severityNumber: 13, severityText: 'WARN', body: '{not json' });
    expect(parseLogLine('[1,2]', 'stdout').body).toBe('[1,2]');
  });

  it('bounds the attributes of a line with very many fields', () => {
    const fields = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(parseLogLine(JSON.stringify({ msg: 'm', ...fields }), 'stdout').attributes)).toHaveLength(65);
  });
});

describe('TokenBucket', () => {
  it('allows the burst at once, then the rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    const first = Array.from({ length: 8 }, () => bucket.take(0)).filter(Boolean).length;
    expect(first).toBe(5);
    expect(bucket.take(50)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    const later = Array.from({ length: 20 }, () => bucket.take(10_000)).filter(Boolean).length;
    expect(later).toBe(5);
  });
});
