// loadgen: keeps traffic flowing through the gateway at RATE_PER_SECOND, forever. Errors are
// counted, never fatal. Its own calls are not traced, so each trace starts at the gateway,
// as it would for a real external client.
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { createLogger, start } from '@tracedock/sdk';
import { loadgenConfig } from './lib/config.mjs';

const config = loadgenConfig();
const log = createLogger();
const ITEMS = Array.from({ length: 20 }, (_, index) => `sku-${index + 1}`);

const counts = { sent: 0, ok: 0, failed: 0, unreachable: 0, skippedBusy: 0 };
let inFlight = 0;
let latencyTotalMillis = 0;

function pickPath() {
  if (Math.random() < config.reportShare) return '/api/report';
  const item = ITEMS[Math.floor(Math.random() * ITEMS.length)];
  return `/api/checkout?item=${item}`;
}

async function sendOne() {
  // Bounded concurrency: when the stack is slow, skip a tick rather than pile up requests.
  if (inFlight >= config.maxInFlight) {
    counts.skippedBusy += 1;
    return;
  }
  inFlight += 1;
  counts.sent += 1;
  const startedAt = performance.now();
  try {
    const response = await context.with(suppressTracing(context.active()), () =>
      fetch(`${config.targetUrl}${pickPath()}`, { signal: AbortSignal.timeout(config.requestTimeoutMillis) }));
    await response.arrayBuffer();
    if (response.ok) counts.ok += 1;
    else counts.failed += 1;
  } catch {
    counts.unreachable += 1;
  } finally {
    latencyTotalMillis += performance.now() - startedAt;
    inFlight -= 1;
  }
}

function summarize() {
  const done = counts.ok + counts.failed + counts.unreachable;
  const meanLatencyMillis = done === 0 ? null : Math.round(latencyTotalMillis / done);
  const fields = { ...counts, inFlight, meanLatencyMillis, target: config.targetUrl };
  if (counts.unreachable > 0 && counts.ok === 0) log.warn(fields, 'load summary: target unreachable');
  else log.info(fields, 'load summary');
  for (const key of Object.keys(counts)) counts[key] = 0;
  latencyTotalMillis = 0;
}

const tick = setInterval(() => void sendOne(), Math.max(1, Math.round(1000 / config.ratePerSecond)));
const summary = setInterval(summarize, config.summaryIntervalMillis);
log.info({ target: config.targetUrl, ratePerSecond: config.ratePerSecond }, 'load generator started');

function stop(signal) {
  clearInterval(tick);
  clearInterval(summary);
  log.info({ signal }, 'load generator stopping');
  summarize();
  // start() returns the SDK --import started; its shutdown flushes the last logs, bounded.
  void start().shutdown().finally(() => process.exit(0));
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
