import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from './support/clickhouse.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { BUSYBOX_IMAGE, ContainerSet, dockerAvailable, ensureTestImages } from './support/docker.js';
import { eventually, getJson, isRecord, listOf } from './support/docker-e2e.js';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from './support/otlp-requests.js';

/**
 * Many Docker hosts, one ClickHouse (issue 14): two collector processes, host-a and host-b,
 * write to one ClickHouse server (`--store clickhouse://…`), and either one's API answers for
 * both. Both watch this machine's one Docker engine, so each container is seen by both hosts
 * under the same id: the case where container ids alone would mix two hosts' containers up.
 * A trace whose root span reached host-a and whose child reached host-b joins to host-a's
 * container X and host-b's container Y, and to no other.
 */

const hasDocker = await dockerAvailable();
const DATABASE = 'tracedock_multi_host';

describe.skipIf(!hasDocker || !clickhouseAvailable())('two collectors, one ClickHouse (real server, real engine)', () => {
  const containers = new ContainerSet();
  let server: ClickHouseServer | undefined;
  const collectors: Record<'a' | 'b', CollectorProcess | undefined> = { a: undefined, b: undefined };
  const dataDirs: string[] = [];
  let containerX = '';
  let containerY = '';

  function collector(which: 'a' | 'b'): CollectorProcess {
    const started = collectors[which];
    if (started === undefined) throw new Error(`collector ${which} did not start`);
    return started;
  }

  async function startHost(which: 'a' | 'b'): Promise<CollectorProcess> {
    if (server === undefined) throw new Error('no ClickHouse server');
    const dataDir = await mkdtemp(join(tmpdir(), `tracedock-multi-${which}-`));
    dataDirs.push(dataDir);
    const store = `clickhouse://${server.url.replace(/^http:\/\//, '')}/${DATABASE}`;
    return startCollectorProcess({ dataDir, env: { TRACEDOCK_STORE: store, TRACEDOCK_HOST_NAME: `host-${which}` }, startTimeoutMillis: 60_000 });
  }

  beforeAll(async () => {
    await ensureTestImages();
    server = await startClickHouse();
    collectors.a = await startHost('a');
    collectors.b = await startHost('b');
    const tag = randomBytes(4).toString('hex');
    containerX = await containers.run(['--name', `td-multi-x-${tag}`, BUSYBOX_IMAGE, 'sleep', '300']);
    containerY = await containers.run(['--name', `td-multi-y-${tag}`, BUSYBOX_IMAGE, 'sleep', '300']);
  }, 180_000);

  afterAll(async () => {
    await containers.removeAll();
    for (const started of Object.values(collectors)) await started?.stop();
    await server?.stop();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  async function send(which: 'a' | 'b', spans: ReadableSpan[]): Promise<void> {
    const response = await fetch(`${collector(which).otlpHttpUrl}/v1/traces`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: encodeTraceRequestProto(spans),
    });
    expect(response.status).toBe(200);
  }

  const hostsOf = (list: Record<string, unknown>[], id: string): unknown[] => list.filter((c) => c.id === id).map((c) => c.host).sort();

  it('says which store and host each collector is', async () => {
    expect(await getJson(collector('a').baseUrl, '/api/health')).toMatchObject({ store: 'clickhouse', host: 'host-a' });
    expect(await getJson(collector('b').baseUrl, '/api/health')).toMatchObject({ store: 'clickhouse', host: 'host-b' });
  });

  it('lists each container once per host that saw it, from either collector', async () => {
    for (const which of ['a', 'b'] as const) {
      await eventually(`both containers on both hosts, through collector ${which}`, async () => {
        const listed = listOf(await getJson(collector(which).baseUrl, '/api/containers'), 'containers');
        const ok = [containerX, containerY].every((id) => JSON.stringify(hostsOf(listed, id)) === '["host-a","host-b"]');
        return ok ? true : undefined;
      }, 60_000, () => ({ a: collector('a').logs().slice(-2000), b: collector('b').logs().slice(-2000) }));
    }
  });

  it('joins a trace that crossed the two hosts to host-a\'s X and host-b\'s Y, through either API', async () => {
    const traceId = randomTraceId();
    const [root, child] = makeTraceSpans({ traceId, spanCount: 2 });
    if (root === undefined || child === undefined) throw new Error('makeTraceSpans gave fewer than two spans');
    await send('a', [{ ...root, resource: resourceFromAttributes({ 'service.name': 'frontend', 'container.id': containerX }) }]);
    await send('b', [{ ...child, resource: resourceFromAttributes({ 'service.name': 'backend', 'container.id': containerY }) }]);
    for (const which of ['a', 'b'] as const) {
      let seen: unknown;
      const trace = await eventually(`the two-host trace through collector ${which}`, async () => {
        seen = await getJson(collector(which).baseUrl, `/api/traces/${traceId}`).catch(() => undefined);
        return isRecord(seen) && listOf(seen, 'spans').length === 2 ? seen : undefined;
      }, 30_000, () => seen);
      expect(listOf(trace, 'spans').map((s) => [s.service, s.containerId])).toEqual([['frontend', containerX], ['backend', containerY]]);
      const joined = listOf(trace, 'containers').map((c) => [c.id, c.host]).sort();
      expect(joined).toEqual([[containerX, 'host-a'], [containerY, 'host-b']].sort());
    }
  });

  it('reads one host\'s samples of a container by ?host=, and finds the services of both hosts', async () => {
    await eventually('samples of Y on host-b', async () => {
      const body = await getJson(collector('a').baseUrl, `/api/containers/${containerY}/samples?host=host-b`);
      return listOf(body, 'samples').length > 0 ? true : undefined;
    }, 30_000);
    const unknownHost = await getJson(collector('a').baseUrl, `/api/containers/${containerY}/samples?host=host-nowhere`);
    expect(listOf(unknownHost, 'samples')).toEqual([]);
    const services = listOf(await getJson(collector('b').baseUrl, '/api/services'), 'services').map((s) => s.name);
    expect(services).toEqual(expect.arrayContaining(['frontend', 'backend']));
  });
});
