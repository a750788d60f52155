import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../../test/support/logger.js';
import { declarePipelineMetrics, REQUEST_REFUSAL_REASONS } from '../pipeline/pipeline-metrics.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { NOTICE_INTERVAL_MILLIS } from '../telemetry/notices.js';
import { RequestRefusals } from './refusals.js';

const REFUSED = 'tracedock_otlp_requests_refused_total';

afterEach(() => {
  vi.useRealTimers();
});

describe('RequestRefusals', () => {
  it('counts every refusal by protocol and reason, and logs each reason once a minute', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const metrics = new MetricsRegistry();
    declarePipelineMetrics(metrics);
    const { logger, lines } = captureLogger();
    const refusals = new RequestRefusals('grpc', metrics, logger);

    for (let i = 0; i < 3; i++) refusals.record('too_large', { grpcStatus: 8, detail: 'the message is 70000 bytes' });
    refusals.record('queue_full', { grpcStatus: 8, detail: 'the collector write queue is full' });
    expect(metrics.value(REFUSED, { protocol: 'grpc', reason: 'too_large' })).toBe(3);
    expect(metrics.value(REFUSED, { protocol: 'grpc', reason: 'queue_full' })).toBe(1);
    expect(metrics.value(REFUSED, { protocol: 'http', reason: 'too_large' })).toBe(0);
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        protocol: 'grpc',
        reason: 'too_large',
        grpcStatus: 8,
        detail: 'the message is 70000 bytes',
        msg: `OTLP/gRPC request refused: too_large (logged once a minute per reason; all are counted in ${REFUSED})`,
      }),
      // The collector at its limits is the operator's news: a warning.
      expect.objectContaining({ level: 40, reason: 'queue_full' }),
    ]);

    vi.setSystemTime(Date.now() + NOTICE_INTERVAL_MILLIS);
    refusals.record('too_large', { grpcStatus: 8, detail: 'the message is 80000 bytes' });
    expect(lines()).toHaveLength(3);
    expect(lines()[2]).toMatchObject({ reason: 'too_large', detail: 'the message is 80000 bytes', suppressed: 2 });
  });

  it('logs a bug at error, with the error', () => {
    const { logger, lines } = captureLogger();
    const metrics = new MetricsRegistry();
    declarePipelineMetrics(metrics);
    const refusals = new RequestRefusals('http', metrics, logger);
    refusals.record('internal_error', { status: 500, err: new Error('decoder bug') });
    expect(metrics.value(REFUSED, { protocol: 'http', reason: 'internal_error' })).toBe(1);
    expect(lines()).toEqual([expect.objectContaining({ level: 50, protocol: 'http', reason: 'internal_error', err: expect.objectContaining({ message: 'decoder bug' }) })]);
  });
});

describe('tracedock_otlp_requests_refused_total', () => {
  it('shows every protocol and reason at 0 before any request, and names each reason in its HELP', () => {
    const metrics = new MetricsRegistry();
    declarePipelineMetrics(metrics);
    const text = metrics.render();
    const help = /^# HELP tracedock_otlp_requests_refused_total (.*)$/m.exec(text)?.[1] ?? '';
    for (const reason of REQUEST_REFUSAL_REASONS) {
      expect(help).toContain(reason);
      for (const protocol of ['http', 'grpc']) expect(text).toContain(`${REFUSED}{protocol="${protocol}",reason="${reason}"} 0\n`);
    }
  });
});
