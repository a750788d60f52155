import { resourceFromAttributes } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequestProto, makeTraceSpans, randomTraceId } from '../../../../test/support/otlp-requests.js';
import { eventually, startTestCollector } from '../../test/support/collector.js';

describe('the collector and the Docker part', () => {
  it('runs without a daemon: health says disconnected, /metrics counts, shutdown still ends', async () => {
    // Retrying and a shutdown that cuts the wait short: DockerConnection.test.ts.
    const { collector, uiUrl } = await startTestCollector({
      dockerEnabled: true, dockerHost: 'unix:///nonexistent/docker.sock', dockerReconnectMinMillis: 10, dockerReconnectMaxMillis: 100,
    });
    const health: unknown = await (await fetch(`${uiUrl}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', docker: { connected: false } });
    const metrics = await (await fetch(`${uiUrl}/metrics`)).text();
    expect(metrics).toContain('tracedock_docker_connected 0');
    expect(metrics).toContain('tracedock_docker_sessions_total 0');
    await collector.shutdown();
  });

  it('runs with Docker off: no Docker metrics, and a full container.id still joins', async () => {
    const { collector, uiUrl, otlpHttpUrl, store } = await startTestCollector({ dockerEnabled: false });
    expect(await (await fetch(`${uiUrl}/api/health`)).json()).toMatchObject({ docker: { connected: false } });
    expect(await (await fetch(`${uiUrl}/metrics`)).text()).not.toContain('tracedock_docker_connected');
    const traceId = randomTraceId();
    const containerId = 'ab'.repeat(32);
    const resource = resourceFromAttributes({ 'service.name': 'svc', 'container.id': containerId });
    const spans = makeTraceSpans({ traceId }).map((span) => ({ ...span, resource }));
    const response = await fetch(`${otlpHttpUrl}/v1/traces`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: encodeTraceRequestProto(spans),
    });
    expect(response.status).toBe(200);
    const stored = await eventually(async () => {
      const rows = await store.getTraceSpans(traceId);
      return rows.length > 0 ? rows : undefined;
    }, 'the span stored');
    expect(stored[0]?.containerId).toBe(containerId);
    await collector.shutdown();
  });

  it('refuses to start on an impossible stats source, naming the option', async () => {
    await expect(startTestCollector({ dockerEnabled: true, statsSource: 'cgroup', cgroupRoot: '/nonexistent-cgroup-root' })).rejects.toThrow(/statsSource/);
  });
});
