import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { BUSYBOX_IMAGE, ContainerSet, dockerAvailable, ensureTestImages } from './support/docker.js';
import { eventually, getJson, isRecord, listOf } from './support/docker-e2e.js';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from './support/otlp-requests.js';

/**
 * The join at ingest time, on the real engine: spans whose resource names a running
 * container (full id, or a 12-digit prefix) get that containerId, and /api/traces/:id lists
 * the container with its metadata; without container.id, the Compose service label joins
 * when exactly one container of the service runs, and nothing joins when two do.
 */

const hasDocker = await dockerAvailable();

describe.skipIf(!hasDocker)('span → container join (real engine)', () => {
  const containers = new ContainerSet();
  let collector: CollectorProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    await ensureTestImages();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-docker-correlate-'));
    collector = await startCollectorProcess({ dataDir });
  });

  afterAll(async () => {
    await containers.removeAll();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  function base(): CollectorProcess {
    if (collector === undefined) throw new Error('the collector did not start');
    return collector;
  }

  async function sendTrace(resource: Record<string, string>): Promise<string> {
    const traceId = randomTraceId();
    const spans = makeTraceSpans({ traceId, spanCount: 2 }).map((span) => ({ ...span, resource: resourceFromAttributes(resource) }));
    const response = await fetch(`${base().otlpHttpUrl}/v1/traces`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: encodeTraceRequestProto(spans),
    });
    expect(response.status).toBe(200);
    return traceId;
  }

  async function trace(traceId: string): Promise<Record<string, unknown>> {
    let seen: unknown;
    return eventually(`trace ${traceId} with two spans`, async () => {
      seen = await getJson(base().baseUrl, `/api/traces/${traceId}`).catch(() => undefined);
      return isRecord(seen) && listOf(seen, 'spans').length === 2 ? seen : undefined;
    }, 30_000, () => ({ seen, collector: base().logs().slice(-3000) }));
  }

  /** The container shows in /api/containers once discovery has inspected it. */
  async function discovered(id: string): Promise<void> {
    await eventually(`container ${id} discovered`, async () =>
      listOf(await getJson(base().baseUrl, '/api/containers'), 'containers').some((c) => c.id === id) ? true : undefined,
    30_000, () => base().logs().slice(-3000));
  }

  it('joins spans whose resource carries the real container.id, and lists the container with its metadata', async () => {
    const service = `corr-${randomBytes(4).toString('hex')}`;
    const id = await containers.run([
      '--label', 'com.docker.compose.project=tdcorr', '--label', `com.docker.compose.service=${service}`,
      '--cpus', '0.25', BUSYBOX_IMAGE, 'sleep', '300',
    ]);
    await discovered(id);
    const result = await trace(await sendTrace({ 'service.name': 'checkout', 'container.id': id }));
    expect(listOf(result, 'spans').map((s) => s.containerId)).toEqual([id, id]);
    const listed = listOf(result, 'containers');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, image: BUSYBOX_IMAGE, service, project: 'tdcorr', state: 'running', cpuLimit: 0.25 });

    const byPrefix = await trace(await sendTrace({ 'service.name': 'checkout', 'container.id': id.slice(0, 12) }));
    expect(listOf(byPrefix, 'spans').map((s) => s.containerId)).toEqual([id, id]);
  });

  it('joins by the Compose service when exactly one of its containers runs, and not when two do', async () => {
    const service = `corr-${randomBytes(4).toString('hex')}`;
    const labels = ['--label', 'com.docker.compose.project=tdcorr', '--label', `com.docker.compose.service=${service}`];
    const first = await containers.run([...labels, BUSYBOX_IMAGE, 'sleep', '300']);
    await discovered(first);
    const one = await trace(await sendTrace({ 'service.name': service }));
    expect(listOf(one, 'spans').map((s) => s.containerId)).toEqual([first, first]);
    expect(listOf(one, 'containers').map((c) => c.id)).toEqual([first]);

    const second = await containers.run([...labels, BUSYBOX_IMAGE, 'sleep', '300']);
    await discovered(second);
    const two = await trace(await sendTrace({ 'service.name': service }));
    expect(listOf(two, 'spans').map((s) => s.containerId), 'two replicas: no guess').toEqual([null, null]);
    expect(listOf(two, 'containers')).toEqual([]);
  });

  it('leaves spans of an unknown prefix, and of services without containers, unjoined', async () => {
    const result = await trace(await sendTrace({ 'service.name': 'no-such-service', 'container.id': '0123456789ab' }));
    expect(listOf(result, 'spans').map((s) => s.containerId)).toEqual([null, null]);
  });
});
