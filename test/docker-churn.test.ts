import { describe, expect, it } from 'vitest';
import { BUSYBOX_IMAGE, dockerAvailable } from './support/docker.js';
import { eventually, getJson, listOf, metricValue, openFds, ownDaemonWithCollector, rssBytes } from './support/docker-e2e.js';
import { steadyValue } from './support/wait.js';

/**
 * 50 containers started and removed in a loop (each discovered, sampled and its log stream
 * followed before it goes), after a first round of 50 to warm up: afterwards the collector
 * holds no more descriptors than before (no leaked log streams, stats streams or daemon
 * sockets) and its memory is flat. The
 * containers run on a daemon of the test's own, so that nobody else's containers move the
 * counts.
 */

const hasDocker = await dockerAvailable();
const BATCHES = 5;
const BATCH_SIZE = 10;
/** A first round of the same size: the runtime's and the store's caches grow once, then stay. */
const WARM_UP_BATCHES = 5;
const MIB = 1024 * 1024;
/**
 * Idle keep-alive sockets the collector's two Docker clients (session, stats) may hold, 4
 * each; measured deltas -1 to +4. A leak of the 50 containers' streams would be +50.
 */
const FD_SLACK = 8;
/**
 * What the store's own growth (50 more containers' rows, samples, events and log lines in
 * its page cache) and heap noise may add; measured within ±4 MiB per round after the first.
 */
const RSS_SLACK_BYTES = 32 * MIB;

describe.skipIf(!hasDocker)('50 containers started and removed', () => {
  // Container lines are stored at once here (no wait for an OTLP copy, --log-dedupe-hold-ms):
  // with the 5 s hold every container of the loop lives 5 s longer before its line shows, and
  // its extra stats samples grow the store by more than RSS_SLACK_BYTES, which is growth, not a leak.
  // No retention run inside the loop: its first DELETE + CHECKPOINT warms DuckDB's buffers once
  // (measured +17 MiB), which is not what this test looks for. Since container lines wait up to
  // --log-dedupe-hold-ms (5 s) for an OTLP copy, the loop takes ~33 s instead of ~7 s and falls
  // on the first retention run (every 60 s by default).
  const parts = ownDaemonWithCollector('docker-churn', { TRACEDOCK_RETENTION_INTERVAL_MS: '86400000' });

  async function metrics(): Promise<string> {
    return (await fetch(`${parts().collector.baseUrl}/metrics`)).text();
  }

  /** Starts `count` containers, waits until each one's first log line is stored, removes them all. */
  async function churn(count: number, tag: string): Promise<void> {
    const { daemon: d, collector: c } = parts();
    const ids = await Promise.all(Array.from({ length: count }, (_, i) =>
      d.cli(['run', '-d', '--network', 'host', '--label', 'tracedock.test=1', BUSYBOX_IMAGE, 'sh', '-c', `echo ${tag}-${i}; sleep 300`]).then((out) => out.trim()),
    ));
    for (const id of ids) {
      await eventually(`the log line of ${id}`, async () =>
        listOf(await getJson(c.baseUrl, `/api/logs?containerId=${id}`), 'logs').length > 0 ? true : undefined,
      30_000, () => c.logs().slice(-1500));
    }
    await d.cli(['rm', '-f', ...ids]);
  }

  /**
   * Quiet again: no log stream open, no stats stream open, and the count of open descriptors no
   * longer moving (idle sockets close on their own time), so that before and after compare alike.
   */
  async function settled(): Promise<{ fds: number; rss: number }> {
    const { collector: c } = parts();
    await eventually('log and stats streams closed', async () => {
      const page = await metrics();
      const streams = metricValue(page, 'tracedock_container_log_streams') + metricValue(page, 'tracedock_stats_api_streams');
      return streams === 0 ? true : undefined;
    }, 30_000);
    const fds = await steadyValue('open descriptors of the collector', () => openFds(c.pid));
    return { fds, rss: await rssBytes(c.pid) };
  }

  it('leaks no descriptors and keeps its memory flat', async () => {
    await eventually('connected', async () => {
      const health = await getJson(parts().collector.baseUrl, '/api/health');
      return JSON.stringify(health).includes('"connected":true') ? true : undefined;
    }, 20_000);
    for (let batch = 0; batch < WARM_UP_BATCHES; batch += 1) await churn(BATCH_SIZE, `warm${batch}`);
    const before = await settled();
    const started = Date.now();
    for (let batch = 0; batch < BATCHES; batch += 1) await churn(BATCH_SIZE, `batch${batch}`);
    const after = await settled();
    const page = await metrics();
    console.info(
      `[docker-churn] ${BATCHES * BATCH_SIZE} containers in ${Date.now() - started} ms; fds ${before.fds} -> ${after.fds}; ` +
        `RSS ${(before.rss / MIB).toFixed(1)} -> ${(after.rss / MIB).toFixed(1)} MiB; ` +
        `containers known ${metricValue(page, 'tracedock_docker_containers_known')}`,
    );
    expect(after.fds, 'open descriptors after the loop').toBeLessThanOrEqual(before.fds + FD_SLACK);
    expect(after.rss, 'resident memory after the loop').toBeLessThanOrEqual(before.rss + RSS_SLACK_BYTES);
    expect(metricValue(page, 'tracedock_docker_containers_known')).toBe((WARM_UP_BATCHES + BATCHES) * BATCH_SIZE);
  }, 300_000);
});
