import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, runSdkServiceContainer, waitForTraceWhere } from './apps/sdk-harness.js';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.js';
import { ContainerSet, dockerAvailable, ensureTestImages } from './support/docker.js';

/**
 * @tracedock/sdk inside a real container (Docker, host networking, the repository mounted
 * read-only at the same path): the spans it sends carry the container's real id as
 * `container.id`, as the Docker API reports it. This is the cgroup v1 path for real (the
 * engine here runs cgroup v1); v2 layouts are covered by recorded files in sdk-container-id.
 */

const hasDocker = await dockerAvailable();

interface CheckoutAnswer {
  traceId: string;
  spanId: string;
}

describe.skipIf(!hasDocker)('inside a container (real engine)', () => {
  const containers = new ContainerSet();
  let collector: CollectorProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    await ensureTestImages();
    dataDir = await mkdtemp(join(tmpdir(), 'tracedock-sdk-container-'));
    collector = await startCollectorProcess({ dataDir, startTimeoutMillis: 60_000 });
  });

  afterAll(async () => {
    await containers.removeAll();
    await collector?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('puts the real container id on every span (compared with docker inspect)', { timeout: 180_000 }, async () => {
    if (collector === undefined) throw new Error('the collector did not start');
    const { containerId: inspected, url } = await runSdkServiceContainer(containers, {
      service: 'containerized',
      otlpHttpUrl: collector.otlpHttpUrl,
      env: { OTEL_BSP_SCHEDULE_DELAY: '200' },
    });
    expect(inspected).toMatch(/^[0-9a-f]{64}$/);
    expect(await getJson<Record<string, unknown>>(`${url}/resource`)).toMatchObject({ 'container.id': inspected, 'service.name': 'containerized' });

    const answer = await getJson<CheckoutAnswer>(`${url}/checkout`);
    const trace = await waitForTraceWhere(collector.baseUrl, answer.traceId, (t) => t.spans.some((s) => s.spanId === answer.spanId), 'the span from the container');
    for (const span of trace.spans) expect(span.resource['container.id'], span.name).toBe(inspected);
  });
});
