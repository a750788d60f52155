import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/logger.js';
import type { ContainerEventRow, ContainerRow } from '../../model/rows.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import { DockerConnection } from '../connection/DockerConnection.js';
import { declareDockerMetrics } from '../docker-metrics.js';
import { MetadataWriter } from '../store/MetadataWriter.js';
import { StoreBatcher } from '../store/StoreBatcher.js';
import { FakeEngine, ZERO_TIME } from '../testing/fake-engine.js';
import { ContainerRegistry } from './ContainerRegistry.js';
import { Discovery } from './Discovery.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const T0 = '2024-05-01T12:00:00.000000000Z';
const T0_NS = 1714564800000000000n;
const S = 1_000_000_000n;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(what: string, check: () => boolean, timeoutMillis = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function setup(clock: { nowNs: bigint }) {
  const dir = await mkdtemp(join(tmpdir(), 'td-fake-engine-'));
  const engine = new FakeEngine(join(dir, 'docker.sock'));
  await engine.start();
  const metrics = new MetricsRegistry();
  declareDockerMetrics(metrics);
  const registry = new ContainerRegistry({ maxContainers: 100 });
  const events: ContainerEventRow[] = [];
  const rows: ContainerRow[] = [];
  const common = { metrics, logger: silentLogger };
  const eventWriter = new StoreBatcher<ContainerEventRow>({
    ...common, table: 'events', maxRows: 100, flushIntervalMillis: 10,
    write: async (r) => (events.push(...r), { ok: true, written: r.length }),
  });
  const metadata = new MetadataWriter({
    ...common, registry, maxContainers: 100, flushIntervalMillis: 10, refreshIntervalMillis: 60_000, nowNs: () => clock.nowNs, host: 'host-a',
    upsert: async (r) => (rows.push(...r), { ok: true, written: r.length }),
  });
  const discovery = new Discovery({
    ...common, registry, metadata, events: eventWriter, requestTimeoutMillis: 2_000, nowNs: () => clock.nowNs,
    listener: { sessionStarted: () => undefined, alive: () => undefined, stopped: () => undefined },
  });
  const connection = new DockerConnection({
    ...common, dockerHost: `unix://${engine.socketPath}`, reconnectMinMillis: 20, reconnectMaxMillis: 50, requestTimeoutMillis: 2_000,
    run: (session) => discovery.run(session),
  });
  eventWriter.start();
  metadata.start();
  connection.start();
  cleanups.push(async () => {
    await connection.shutdown();
    await Promise.all([eventWriter.shutdown(), metadata.shutdown()]);
    await engine.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { engine, registry, events, rows, connection, metrics };
}

describe('Discovery against a stand-in engine', () => {
  it('lists and inspects at connect, follows events, and marks a destroyed container removed', async () => {
    const clock = { nowNs: T0_NS + 10n * S };
    const { engine, registry, events, rows, connection } = await setup(clock);
    engine.containers.set(A, { id: A, name: 'a', running: true, startedAt: T0, finishedAt: ZERO_TIME, labels: { 'com.docker.compose.service': 'orders' } });
    await until('connected and A known', () => connection.connected && registry.get(A) !== undefined);
    expect(registry.byComposeService('orders').map((c) => c.id)).toEqual([A]);

    engine.containers.set(B, { id: B, name: 'b', running: true, startedAt: T0, finishedAt: ZERO_TIME });
    engine.emit('start', B, T0_NS + 20n * S, { name: 'b', image: 'busybox', 'some.label': 'x' });
    engine.emit('exec_start: sh -c true', B, T0_NS + 21n * S);
    engine.emit('health_status: healthy', B, T0_NS + 22n * S);
    await until('B inspected', () => registry.get(B)?.meta.alive === true);
    await until('two events stored', () => events.length === 2);
    expect(events.map((e) => [e.action, e.attributes])).toEqual([
      ['start', { name: 'b', image: 'busybox' }],
      ['health_status', { status: 'healthy' }],
    ]);

    engine.containers.delete(A);
    engine.emit('destroy', A, T0_NS + 30n * S);
    await until('A removed', () => registry.get(A)?.removed === true);
    await until('A stored as removed', () => rows.some((r) => r.id === A && r.state === 'removed'));
    expect(registry.alive().map((e) => e.meta.id)).toEqual([B]);
  });

  it('reconnects after the daemon went away, without storing replayed events twice, and infers what the outage hid', async () => {
    const clock = { nowNs: T0_NS + 10n * S };
    const { engine, registry, events, connection } = await setup(clock);
    engine.containers.set(A, { id: A, name: 'a', running: true, startedAt: T0, finishedAt: ZERO_TIME });
    await until('connected', () => connection.connected && registry.get(A) !== undefined);
    engine.emit('start', A, T0_NS + 11n * S);
    await until('the start event', () => events.length === 1);

    clock.nowNs = T0_NS + 20n * S;
    await engine.stop();
    await until('disconnected', () => !connection.connected);
    // While nobody listened: A was OOM-killed at +25 s and started again at +26 s.
    engine.containers.set(A, {
      id: A, name: 'a', running: true, startedAt: '2024-05-01T12:00:26.000000000Z', finishedAt: '2024-05-01T12:00:25.000000000Z',
      oomKilled: true, exitCode: 137,
    });
    clock.nowNs = T0_NS + 30n * S;
    await engine.start();
    await until('connected again', () => connection.connected);
    await until('inferred events', () => events.length === 4);
    expect(events.map((e) => [e.action, e.timeNs - T0_NS, e.attributes.inferred ?? '', e.attributes.exitCode ?? ''])).toEqual([
      ['start', 11n * S, '', ''],
      ['oom', 25n * S, 'true', ''],
      ['die', 25n * S, 'true', '137'],
      ['start', 26n * S, 'true', ''],
    ]);
    expect(registry.get(A)?.candidate.aliveFromNs).toBe(T0_NS);
  });
});
