import { describe, expect, it } from 'vitest';
import { BUSYBOX_IMAGE, ContainerSet, docker, dockerAvailable } from './support/docker.js';
import { collectorForDescribe, eventually, listOf } from './support/docker-e2e.js';

/**
 * Discovery against the real engine: containers the test starts show up in /api/containers
 * with their metadata and their Docker host, and an OOM-killed container that Docker restarts once shows the
 * oom, die and start events in /api/containers/:id/events.
 */

const hasDocker = await dockerAvailable();
const MIB = 1024 * 1024;

describe.skipIf(!hasDocker)('Docker discovery (real engine)', () => {
  const containers = new ContainerSet();
  const { api } = collectorForDescribe('docker-discovery', containers);

  it('lists a container started after the collector, with Compose labels, limits and times', async () => {
    const before = Date.now();
    const id = await containers.run([
      '--label', 'com.docker.compose.project=tdtest', '--label', 'com.docker.compose.service=orders',
      '--cpus', '0.5', '--memory', '64m', BUSYBOX_IMAGE, 'sleep', '300',
    ]);
    let seen: unknown;
    const container = await eventually('the container in /api/containers', async () => {
      seen = await api('/api/containers');
      return listOf(seen, 'containers').find((c) => c.id === id);
    }, 30_000, () => seen);
    expect(container).toMatchObject({
      id,
      image: BUSYBOX_IMAGE,
      service: 'orders',
      project: 'tdtest',
      state: 'running',
      cpuLimit: 0.5,
      memoryLimitBytes: 64 * MIB,
      restartCount: 0,
      labels: expect.objectContaining({ 'tracedock.test': '1', 'com.docker.compose.service': 'orders' }),
      // The Docker host it runs on: the engine's own name, which the collector took at start.
      host: (await docker(['info', '--format', '{{.Name}}'])).trim(),
    });
    expect(typeof container.name === 'string' && container.name.length > 0).toBe(true);
    const startedMs = Date.parse(String(container.startedAt));
    expect(startedMs).toBeGreaterThanOrEqual(before - 1_000);
    expect(startedMs).toBeLessThanOrEqual(Date.now());
  });

  it('records the OOM kill, the death and the restart of a container as events', async () => {
    // `tail` holds one endless line in memory until the kernel's OOM killer ends it; Docker
    // then restarts it once (on-failure:1) and it is killed again.
    const id = await containers.run([
      '--memory', '16m', '--memory-swap', '16m', '--restart', 'on-failure:1',
      BUSYBOX_IMAGE, 'sh', '-c', 'sleep 1; head -c 200m /dev/zero | tail',
    ]);
    let seen: unknown;
    const events = await eventually('oom, die and a second start in /api/containers/:id/events', async () => {
      seen = await api(`/api/containers/${id}/events`);
      const list = listOf(seen, 'events');
      const actions = list.map((e) => e.action);
      const starts = actions.filter((a) => a === 'start').length;
      return actions.includes('oom') && actions.includes('die') && starts >= 2 ? list : undefined;
    }, 60_000, () => seen);
    const die = events.find((e) => e.action === 'die');
    expect(die?.attributes).toMatchObject({ exitCode: '137' });
    const times = events.map((e) => Number(e.t));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const firstOom = events.findIndex((e) => e.action === 'oom');
    const firstStart = events.findIndex((e) => e.action === 'start');
    expect(firstStart).toBeLessThan(firstOom);
    const container = await eventually('restartCount 1 in /api/containers', async () => {
      const found = listOf(await api('/api/containers'), 'containers').find((c) => c.id === id);
      return found !== undefined && found.restartCount === 1 ? found : undefined;
    }, 30_000);
    expect(container.image).toBe(BUSYBOX_IMAGE);
  }, 120_000);

  it('reports the daemon connected in /api/health', async () => {
    expect(await api('/api/health')).toMatchObject({ docker: { connected: true } });
  });
});
