/**
 * Acceptance: SIGTERM during steady ingest loses nothing that was acknowledged. Several
 * senders POST protobuf span batches in a loop; the collector gets SIGTERM mid-stream and
 * must exit 0; restarted on the same data dir it must return every trace it answered 200.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from './support/otlp-requests.js';

const SENDERS = 8;
const SPANS_PER_REQUEST = 20;
/** Acknowledged requests before SIGTERM, so the queue is busy when it arrives. */
const ACKNOWLEDGED_BEFORE_SIGTERM = 300;
const REQUEST_TIMEOUT_MILLIS = 10_000;
const LOOKUP_CONCURRENCY = 16;

const dataDirs: string[] = [];
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function until(check: () => boolean, timeoutMillis: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Spans of a trace as the query API returns them; 0 when the trace is unknown. */
async function spanCount(collector: CollectorProcess, traceId: string): Promise<number> {
  const response = await fetch(`${collector.baseUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS) });
  if (response.status === 404) return 0;
  const body: unknown = await response.json();
  if (response.status !== 200 || typeof body !== 'object' || body === null || !('spans' in body) || !Array.isArray(body.spans)) {
    throw new Error(`GET /api/traces/${traceId} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.spans.length;
}

/** tracedock_queue_depth_rows from /metrics. */
async function queueDepthRows(collector: CollectorProcess): Promise<number> {
  const text = await (await fetch(`${collector.baseUrl}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS) })).text();
  const line = text.split('\n').find((l) => l.startsWith('tracedock_queue_depth_rows '));
  if (line === undefined) throw new Error(`/metrics has no tracedock_queue_depth_rows:\n${text}`);
  return Number(line.split(' ')[1]);
}

describe('SIGTERM during steady ingest', () => {
  it('exits 0 and keeps every acknowledged trace', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tracedock-sigterm-'));
    dataDirs.push(dataDir);
    // A long batch delay keeps rows queued, so that SIGTERM finds work to drain.
    const first = await startCollectorProcess({ dataDir, env: { TRACEDOCK_BATCH_MAX_DELAY_MS: '5000' } });
    const acknowledged: string[] = [];
    const outcomes = new Map<string, number>();
    const note = (outcome: string): void => void outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    let sending = true;

    const sender = async (): Promise<void> => {
      while (sending) {
        const traceId = randomTraceId();
        const body = encodeTraceRequestProto(makeTraceSpans({ traceId, spanCount: SPANS_PER_REQUEST }));
        try {
          const response = await fetch(`${first.otlpHttpUrl}/v1/traces`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-protobuf' },
            body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
          });
          await response.arrayBuffer();
          note(String(response.status));
          if (response.status === 200) acknowledged.push(traceId);
        } catch {
          note('connection error'); // expected once the collector has closed its listener
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    };
    const senders = Array.from({ length: SENDERS }, () => sender());
    await until(() => acknowledged.length >= ACKNOWLEDGED_BEFORE_SIGTERM, 30_000, `${ACKNOWLEDGED_BEFORE_SIGTERM} acknowledged requests`);
    const queuedRows = await queueDepthRows(first);
    const exitCode = await first.stop('SIGTERM');
    sending = false;
    await Promise.all(senders);
    expect(exitCode, `exit code; collector output:\n${first.logs()}`).toBe(0);
    expect(first.logs()).toContain('tracedock stopped');
    expect(queuedRows, 'rows waiting in the queue when SIGTERM was sent').toBeGreaterThan(0);

    const second = await startCollectorProcess({ dataDir });
    try {
      const missing: string[] = [];
      const queue = [...acknowledged];
      const lookups = Array.from({ length: LOOKUP_CONCURRENCY }, async () => {
        for (let traceId = queue.pop(); traceId !== undefined; traceId = queue.pop()) {
          const count = await spanCount(second, traceId);
          if (count !== SPANS_PER_REQUEST) missing.push(`${traceId} (${count} spans)`);
        }
      });
      await Promise.all(lookups);
      const summary = `${acknowledged.length} acknowledged; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`;
      expect(missing, `acknowledged traces missing after restart; ${summary}`).toEqual([]);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
