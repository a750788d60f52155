import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogRow, MetricPointRow, SpanRow } from '../model/rows.js';
import type { WriteResult } from '../store/Store.js';
import { MetricsRegistry } from '../telemetry/metrics.js';
import { captureLogger, silentLogger } from '../../test/support/logger.js';
import { logRow, spanRows } from '../../test/support/rows.js';
import { WriteQueue, type WriteQueueOptions } from './write-queue.js';

type Writer = (rows: readonly unknown[]) => Promise<WriteResult>;

/** A store double for the queue alone: records batches and answers what `respond` says. */
function recordingStore(respond: Writer = async (rows) => ({ ok: true, written: rows.length })) {
  const spanBatches: SpanRow[][] = [];
  const logBatches: LogRow[][] = [];
  const metricBatches: MetricPointRow[][] = [];
  return {
    spanBatches,
    logBatches,
    metricBatches,
    writeMetricPoints: async (rows: readonly MetricPointRow[]) => {
      metricBatches.push([...rows]);
      return respond(rows);
    },
    writeSpans: async (rows: readonly SpanRow[]) => {
      spanBatches.push([...rows]);
      return respond(rows);
    },
    writeLogs: async (rows: readonly LogRow[]) => {
      logBatches.push([...rows]);
      return respond(rows);
    },
  };
}

const FAST_RETRY = { maxAttempts: 3, backoff: { initialMillis: 1, maxMillis: 2 } };
const queues: WriteQueue[] = [];

/** The queue's batch and hold timers on a clock the test moves (the store double still answers at once). */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
}

type QueueOverrides = Partial<Omit<WriteQueueOptions, 'config'>> & { config?: Partial<WriteQueueOptions['config']> };

function makeQueue(overrides: QueueOverrides = {}) {
  const store = overrides.store ?? recordingStore();
  const metrics = overrides.metrics ?? new MetricsRegistry();
  const config = {
    queueMaxRows: 100,
    queueMaxBytes: 1 << 30,
    batchMaxRows: 10,
    batchMaxDelayMillis: 60_000,
    shutdownTimeoutMillis: 5_000,
    storeWritesInFlight: 1,
    spanDedupeCapacity: 1_000,
    logDedupeHoldMillis: 0,
    ...overrides.config,
  };
  const queue = new WriteQueue({ logger: silentLogger, retry: FAST_RETRY, ...overrides, store, metrics, config });
  queue.start();
  queues.push(queue);
  return { queue, metrics };
}

async function until(check: () => boolean, timeoutMillis = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(queues.splice(0).map((q) => q.shutdown()));
});

describe('WriteQueue', () => {
  it('writes a batch as soon as it reaches batchMaxRows, in batches of at most batchMaxRows', async () => {
    const store = recordingStore();
    const { queue, metrics } = makeQueue({ store });
    expect(queue.offer({ signal: 'spans', rows: spanRows(25) })).toEqual({ accepted: true });
    await until(() => store.spanBatches.length === 2);
    expect(store.spanBatches.map((b) => b.length)).toEqual([10, 10]);
    expect(queue.depthRows).toBe(5); // the rest waits for the batch delay
    expect(metrics.value('tracedock_rows_stored_total', { signal: 'spans' })).toBe(20);
  });

  it('writes a partial batch once its oldest row has waited batchMaxDelayMillis', async () => {
    fakeClock();
    const store = recordingStore();
    const { queue } = makeQueue({ store, config: { batchMaxDelayMillis: 30 } });
    queue.offer({ signal: 'logs', rows: [logRow(), logRow()] });
    await vi.advanceTimersByTimeAsync(29);
    expect(store.logBatches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2); // the timer's +1 ms (table-writer.ts)
    expect(store.logBatches).toEqual([[expect.anything(), expect.anything()]]);
  });

  it('accepts a request whole or not at all, so that a refused client can resend it unchanged', () => {
    const { queue, metrics } = makeQueue({ config: { queueMaxRows: 10, batchMaxRows: 10 } });
    expect(queue.offer({ signal: 'spans', rows: spanRows(6) })).toEqual({ accepted: true });
    expect(queue.offer({ signal: 'logs', rows: [logRow(), logRow(), logRow(), logRow(), logRow()] })).toEqual({ accepted: false, reason: 'full' });
    expect(queue.depthRows).toBe(6);
    expect(queue.offer({ signal: 'spans', rows: spanRows(11) })).toEqual({ accepted: false, reason: 'too_large' });
    expect(metrics.value('tracedock_queue_depth_rows')).toBe(6);
    expect(metrics.value('tracedock_queue_capacity_rows')).toBe(10);
  });

  it('bounds the approximate bytes of queued rows as well as their number', async () => {
    const store = recordingStore(() => new Promise<WriteResult>(() => undefined)); // nothing is ever stored
    const { queue, metrics } = makeQueue({ store, config: { queueMaxBytes: 10_000, batchMaxRows: 100 } });
    expect(queue.offer({ signal: 'spans', rows: spanRows(2), bytes: 6_000 })).toEqual({ accepted: true });
    expect(queue.offer({ signal: 'spans', rows: spanRows(2), bytes: 6_000 })).toEqual({ accepted: false, reason: 'full' });
    expect(queue.offer({ signal: 'logs', rows: [logRow()], bytes: 12_000 })).toEqual({ accepted: false, reason: 'too_large' });
    // Without a byte count, a typical row size is assumed (512 B).
    expect(queue.offer({ signal: 'logs', rows: [logRow(), logRow()] })).toEqual({ accepted: true });
    expect(queue.depthBytes).toBe(6_000 + 2 * 512);
    expect(metrics.value('tracedock_queue_depth_bytes')).toBe(7_024);
    expect(metrics.value('tracedock_queue_capacity_bytes')).toBe(10_000);
    await queue.shutdown(20);
  });

  it('gives the bytes back as batches are stored, split batches pro rata', async () => {
    const store = recordingStore();
    const { queue } = makeQueue({ store, config: { batchMaxRows: 4, batchMaxDelayMillis: 10 } });
    queue.offer({ signal: 'spans', rows: spanRows(6), bytes: 600 });
    await until(() => store.spanBatches.length === 1);
    expect(queue.depthBytes).toBe(200);
    await until(() => queue.depthRows === 0);
    expect(queue.depthBytes).toBe(0);
  });

  it('runs up to storeWritesInFlight writes of one table at once', async () => {
    let inFlight = 0;
    let most = 0;
    const store = recordingStore(async (rows) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return { ok: true, written: rows.length };
    });
    const { queue, metrics } = makeQueue({ store, config: { batchMaxRows: 5, storeWritesInFlight: 2 } });
    queue.offer({ signal: 'spans', rows: spanRows(30) });
    await until(() => metrics.value('tracedock_rows_stored_total', { signal: 'spans' }) === 30);
    expect(most).toBe(2);
    expect(store.spanBatches.map((b) => b.length)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(queue.depthRows).toBe(0);
  });

  it('retries a retryable failure with backoff and stores the batch once the store recovers', async () => {
    let failures = 2;
    const store = recordingStore(async (rows) =>
      failures-- > 0 ? { ok: false, retryable: true, error: new Error('busy') } : { ok: true, written: rows.length },
    );
    const { queue, metrics } = makeQueue({ store, config: { batchMaxRows: 5 } });
    queue.offer({ signal: 'spans', rows: spanRows(5) });
    await until(() => metrics.value('tracedock_rows_stored_total', { signal: 'spans' }) === 5);
    expect(store.spanBatches).toHaveLength(3);
    expect(queue.depthRows).toBe(0);
  });

  it('drops and counts a batch after maxAttempts retryable failures, and logs each kind once', async () => {
    const { logger, lines } = captureLogger();
    const store = recordingStore(async () => ({ ok: false, retryable: true, error: new Error('disk busy') }));
    const { queue, metrics } = makeQueue({ store, logger, config: { batchMaxRows: 5 } });
    queue.offer({ signal: 'spans', rows: spanRows(10) });
    const dropped = { signal: 'spans', reason: 'retries_exhausted' };
    await until(() => metrics.value('tracedock_rows_dropped_total', dropped) === 10);
    expect(store.spanBatches).toHaveLength(2 * FAST_RETRY.maxAttempts);
    expect(lines().filter((l) => l.reason === 'retries_exhausted')).toHaveLength(1);
    expect(queue.depthRows).toBe(0);
  });

  it('drops a batch at once on a final failure or a throwing store', async () => {
    let calls = 0;
    const store = recordingStore(async () => {
      calls += 1;
      if (calls === 1) return { ok: false, retryable: false, error: new Error('schema mismatch') };
      throw new Error('bug');
    });
    const { queue, metrics } = makeQueue({ store, config: { batchMaxRows: 5 } });
    queue.offer({ signal: 'spans', rows: spanRows(10) });
    await until(() => metrics.value('tracedock_rows_dropped_total', { signal: 'spans', reason: 'store_error' }) === 10);
    expect(calls).toBe(2);
  });

  it('shutdown writes everything accepted at once, refuses new rows, and is safe twice', async () => {
    const store = recordingStore();
    const { queue, metrics } = makeQueue({ store });
    queue.offer({ signal: 'spans', rows: spanRows(3) });
    queue.offer({ signal: 'logs', rows: [logRow()] });
    const first = queue.shutdown();
    expect(queue.shutdown()).toBe(first);
    await first;
    expect(store.spanBatches.flat()).toHaveLength(3);
    expect(store.logBatches.flat()).toHaveLength(1);
    expect(queue.offer({ signal: 'spans', rows: spanRows(1) })).toEqual({ accepted: false, reason: 'shutting_down' });
    expect(metrics.value('tracedock_rows_stored_total', { signal: 'logs' })).toBe(1);
  });

  it('shutdown gives up after its timeout and counts what is left as dropped', async () => {
    fakeClock();
    const store = recordingStore(() => new Promise<WriteResult>(() => undefined)); // a store that hangs
    const { queue, metrics } = makeQueue({ store, config: { batchMaxRows: 5, shutdownTimeoutMillis: 50 } });
    queue.offer({ signal: 'spans', rows: spanRows(12) });
    let finished = false;
    const shutdown = queue.shutdown().then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(49);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await shutdown;
    // 5 rows are stuck in the hung write; the other 7 were still buffered.
    expect(metrics.value('tracedock_rows_dropped_total', { signal: 'spans', reason: 'shutdown_timeout' })).toBe(7);
  });

  it('applies the correlator to each batch, and stores uncorrelated when it throws', async () => {
    const store = recordingStore();
    const correlator = {
      spans: (rows: SpanRow[]) => rows.map((r) => ({ ...r, containerId: 'c1' })),
      logs: (): LogRow[] => {
        throw new Error('docker down');
      },
      metrics: (rows: MetricPointRow[]) => rows,
    };
    const { queue } = makeQueue({ store, correlator });
    queue.offer({ signal: 'spans', rows: spanRows(2) });
    queue.offer({ signal: 'logs', rows: [logRow()] });
    await queue.shutdown();
    expect(store.spanBatches.flat().map((r) => r.containerId)).toEqual(['c1', 'c1']);
    expect(store.logBatches.flat().map((r) => r.containerId)).toEqual([null]);
  });
});

describe('WriteQueue deduplication', () => {
  it('stores a span sent three times once and counts the copies', async () => {
    const store = recordingStore();
    const { queue, metrics } = makeQueue({ store, config: { batchMaxRows: 3 } });
    const [span] = spanRows(1) as [SpanRow];
    for (let i = 0; i < 3; i++) expect(queue.offer({ signal: 'spans', rows: [{ ...span }] }).accepted).toBe(true);
    await queue.shutdown();
    expect(store.spanBatches.flat().map((s) => s.spanId)).toEqual([span.spanId]);
    expect(metrics.value('tracedock_rows_stored_total', { signal: 'spans' })).toBe(1);
    expect(metrics.value('tracedock_rows_deduplicated_total', { signal: 'spans' })).toBe(2);
    expect(queue.depthRows).toBe(0);
  });

  it('stores every span when deduplication is off', async () => {
    const store = recordingStore();
    const { queue } = makeQueue({ store, config: { spanDedupeCapacity: 0 } });
    const [span] = spanRows(1) as [SpanRow];
    queue.offer({ signal: 'spans', rows: [span, { ...span }] });
    await queue.shutdown();
    expect(store.spanBatches.flat()).toHaveLength(2);
  });

  it('remembers spans seeded from the store', async () => {
    const store = recordingStore();
    const { queue } = makeQueue({ store });
    const [old, fresh] = spanRows(2) as [SpanRow, SpanRow];
    queue.rememberSpans([{ traceId: old.traceId, spanId: old.spanId }]);
    queue.offer({ signal: 'spans', rows: [old, fresh] });
    await queue.shutdown();
    expect(store.spanBatches.flat().map((s) => s.spanId)).toEqual([fresh.spanId]);
  });

  it('holds container lines and drops the one an OTLP record replaced, giving it the line container', async () => {
    fakeClock();
    const store = recordingStore();
    const { queue, metrics } = makeQueue({ store, config: { logDedupeHoldMillis: 300, batchMaxDelayMillis: 5 } });
    const timeNs = BigInt(Date.now()) * 1_000_000n;
    const traceId = 'a'.repeat(32);
    const line = logRow({ source: 'stdout', body: 'order placed', timeNs, traceId, containerId: 'c1' });
    const other = logRow({ source: 'stdout', body: 'unrelated line', timeNs, containerId: 'c1' });
    queue.offer({ signal: 'logs', rows: [line, other] });
    await vi.advanceTimersByTimeAsync(50);
    expect(store.logBatches).toHaveLength(0); // still held
    queue.offer({ signal: 'logs', rows: [logRow({ body: 'order placed', timeNs: timeNs + 1_000n, traceId })] });
    await vi.advanceTimersByTimeAsync(10);
    expect(store.logBatches.flat().map((r) => r.source)).toEqual(['otlp']); // the lines are held still
    await vi.advanceTimersByTimeAsync(250);
    expect(store.logBatches.flat().map((r) => r.source)).toEqual(['otlp', 'stdout']);
    const stored = store.logBatches.flat();
    expect(stored.map((r) => [r.source, r.body, r.containerId])).toEqual(
      expect.arrayContaining([
        ['otlp', 'order placed', 'c1'],
        ['stdout', 'unrelated line', 'c1'],
      ]),
    );
    expect(metrics.value('tracedock_rows_deduplicated_total', { signal: 'logs' })).toBe(1);
  });

  it('drops a container line whose OTLP copy came first', async () => {
    const store = recordingStore();
    const { queue } = makeQueue({ store, config: { logDedupeHoldMillis: 50, batchMaxDelayMillis: 5 } });
    const timeNs = BigInt(Date.now()) * 1_000_000n;
    queue.offer({ signal: 'logs', rows: [logRow({ body: 'cache warmed', timeNs, containerId: 'c1' })] });
    await until(() => store.logBatches.length === 1);
    queue.offer({ signal: 'logs', rows: [logRow({ source: 'stdout', body: 'cache warmed', timeNs, containerId: 'c1' })] });
    await queue.shutdown();
    expect(store.logBatches.flat().map((r) => r.source)).toEqual(['otlp']);
  });
});
