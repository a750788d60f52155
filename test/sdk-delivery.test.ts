import { createRequire } from 'node:module';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it, vi } from 'vitest';
import { BoundedSpanProcessor } from '../packages/sdk/src/export/bounded-span-processor.ts';
import { DeliveryCounter } from '../packages/sdk/src/export/delivery-stats.ts';
import { RetryingExporter, isRetryable, type BatchExporter } from '../packages/sdk/src/export/retrying-exporter.ts';
import { SelfLog } from '../packages/sdk/src/export/self-log.ts';

/**
 * The SDK's delivery path in process, with a scripted exporter in place of the collector: a batch
 * is retried with backoff until it goes through or its budget ends, refused requests are not
 * retried, the queue bound holds and every span is accounted for (accepted = exported + dropped +
 * queued + in flight), and shutdown cuts retries short. The batch processor and export results
 * come from the same OpenTelemetry copies the SDK loads (checked first), so this is the combination
 * users run.
 */

describe('the OpenTelemetry packages this test builds on', () => {
  it('are the copies @tracedock/sdk loads, not a second install', () => {
    const fromTest = createRequire(import.meta.url);
    const fromSdk = createRequire(new URL('../packages/sdk/package.json', import.meta.url));
    for (const name of ['@opentelemetry/core', '@opentelemetry/sdk-trace']) {
      const message = `${name} resolves to another copy from test/ than from packages/sdk; the root devDependencies must pin the SDK's version (see npm ls ${name})`;
      expect(fromTest.resolve(name), message).toBe(fromSdk.resolve(name));
    }
  });
});

const FAST_BACKOFF = { initialMillis: 5, maxMillis: 20 };
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });

/** Fails the first `failures` calls with `error`, then succeeds; records every call's size. */
class ScriptedExporter<T> implements BatchExporter<T> {
  calls: number[] = [];
  inProgress = 0;
  maxInProgress = 0;
  constructor(private failures: number, private readonly error: Error = refused) {}
  export(items: T[], done: (result: ExportResult) => void): void {
    this.calls.push(items.length);
    this.inProgress += 1;
    this.maxInProgress = Math.max(this.maxInProgress, this.inProgress);
    const finish = (result: ExportResult): void => {
      this.inProgress -= 1;
      done(result);
    };
    if (this.failures > 0) {
      this.failures -= 1;
      setImmediate(() => finish({ code: ExportResultCode.FAILED, error: this.error }));
    } else setImmediate(() => finish({ code: ExportResultCode.SUCCESS }));
  }
  async shutdown(): Promise<void> {}
}

function quietLog(lines: string[] = []): SelfLog {
  return new SelfLog('spans', (line) => lines.push(line));
}

function exportOnce<T>(exporter: RetryingExporter<T>, items: T[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

describe('RetryingExporter', () => {
  it('retries a failed batch with backoff until it goes through', async () => {
    const inner = new ScriptedExporter<number>(3);
    const counter = new DeliveryCounter();
    const lines: string[] = [];
    const exporter = new RetryingExporter(inner, counter, { budgetMillis: 5_000, attemptTimeoutMillis: 10, backoff: FAST_BACKOFF }, quietLog(lines));
    const result = await exportOnce(exporter, [1, 2, 3]);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(inner.calls).toEqual([3, 3, 3, 3]);
    expect(counter.snapshot()).toMatchObject({ exported: 3, retries: 3, dropped: 0, inFlight: 0 });
    // One line when the outage starts and one when it ends, not one per attempt.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('ECONNREFUSED');
  });

  it('gives up when the batch budget is spent, and counts the batch as dropped', async () => {
    const inner = new ScriptedExporter<number>(Number.POSITIVE_INFINITY);
    const counter = new DeliveryCounter();
    const exporter = new RetryingExporter(inner, counter, { budgetMillis: 100, attemptTimeoutMillis: 10, backoff: FAST_BACKOFF }, quietLog());
    // Settling at all is the point: every attempt fails, so only the budget can end the retries.
    const result = await exportOnce(exporter, [1, 2]);
    // Settled, not FAILED, towards the batch processor (see RetryingExporter); the counter has the loss.
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(inner.calls.length).toBeGreaterThan(2);
    expect(counter.snapshot()).toMatchObject({ exported: 0, droppedExportFailed: 2, dropped: 2, inFlight: 0 });
  });

  it('does not retry a request the collector refused (4xx other than 408/429)', async () => {
    const badRequest = Object.assign(new Error('Bad Request'), { code: 400 });
    const inner = new ScriptedExporter<number>(1, badRequest);
    const counter = new DeliveryCounter();
    const exporter = new RetryingExporter(inner, counter, { budgetMillis: 5_000, attemptTimeoutMillis: 10, backoff: FAST_BACKOFF }, quietLog());
    await exportOnce(exporter, [1]);
    expect(inner.calls).toEqual([1]);
    expect(counter.droppedExportFailed).toBe(1);
    expect([isRetryable(badRequest), isRetryable(Object.assign(new Error(), { code: 429 })), isRetryable(Object.assign(new Error(), { code: 503 })), isRetryable(refused)]).toEqual([false, true, true, true]);
  });

  it('on shutdown stops waiting: one more attempt, then the batch is given up', async () => {
    const inner = new ScriptedExporter<number>(Number.POSITIVE_INFINITY);
    const counter = new DeliveryCounter();
    // The jitter pinned near its top: every wait is ~60 s, far beyond the test's window.
    const slow = { initialMillis: 60_000, maxMillis: 60_000, random: () => 0.999 };
    const exporter = new RetryingExporter(inner, counter, { budgetMillis: 600_000, attemptTimeoutMillis: 10, backoff: slow }, quietLog());
    const pending = exportOnce(exporter, [1, 2, 3]);
    // The first attempt has failed and the exporter is waiting out its 60 s backoff.
    await vi.waitFor(() => expect([inner.calls.length, inner.inProgress]).toEqual([1, 0]));
    expect(inner.calls).toEqual([3]);
    exporter.beginShutdown(Date.now() + 1_000);
    await pending;
    expect(inner.calls).toEqual([3, 3]);
    expect(counter.droppedExportFailed).toBe(3);
  });
});

describe('BoundedSpanProcessor in front of the BatchSpanProcessor', () => {
  it('holds at most maxQueueSize spans while the collector is down and counts every one it turns away', async () => {
    const maxQueueSize = 50;
    const counter = new DeliveryCounter();
    const inner = new ScriptedExporter<ReadableSpan>(Number.POSITIVE_INFINITY);
    const exporter = new RetryingExporter(inner, counter, { budgetMillis: 200, attemptTimeoutMillis: 10, backoff: FAST_BACKOFF }, quietLog());
    const batch = new BatchSpanProcessor({ exporter, maxQueueSize, maxExportBatchSize: 10, scheduledDelayMillis: 5, exportTimeoutMillis: 1_200 });
    const provider = new TracerProvider({ spanProcessors: [new BoundedSpanProcessor(batch, counter, maxQueueSize, quietLog())] });
    const tracer = provider.getTracer('test');
    const ended = 1_000;
    for (let i = 0; i < ended; i += 1) {
      tracer.startSpan(`span ${i}`).end();
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(counter.queued).toBeLessThanOrEqual(maxQueueSize);
    }
    // At least one batch has spent its retry budget and been given up.
    await vi.waitFor(() => expect(counter.droppedExportFailed).toBeGreaterThan(0), { timeout: 2_000 });
    const stats = counter.snapshot();
    expect(stats.accepted + stats.droppedQueueFull).toBe(ended);
    expect(stats.accepted).toBe(stats.exported + stats.droppedExportFailed + stats.queued + stats.inFlight);
    expect(stats.queued).toBeLessThanOrEqual(maxQueueSize);
    expect(stats.inFlight).toBeLessThanOrEqual(10);
    expect(stats.dropped).toBeGreaterThan(ended - maxQueueSize - 100);
    expect(stats.exported).toBe(0);
    // One export at a time, however many batches fail (the batch processor alone would not keep that).
    expect(inner.maxInProgress).toBe(1);
    await provider.shutdown();
  });
});
