import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/logger.js';
import { MetricsRegistry } from '../../telemetry/metrics.js';
import { DOCKER_METRICS } from '../docker-metrics.js';
import { DockerConnection } from './DockerConnection.js';

const NO_DAEMON = 'unix:///nonexistent/docker.sock';

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function connection(reconnectMillis: number) {
  const { logger, lines } = captureLogger();
  const metrics = new MetricsRegistry();
  const sessions: number[] = [];
  const docker = new DockerConnection({
    dockerHost: NO_DAEMON, reconnectMinMillis: reconnectMillis, reconnectMaxMillis: reconnectMillis, requestTimeoutMillis: 1_000,
    logger, metrics, run: async () => void sessions.push(1),
  });
  const outageLines = (): Record<string, unknown>[] => lines().filter((l) => String(l.msg).includes('unreachable'));
  return { docker, metrics, sessions, outageLines };
}

describe('DockerConnection', () => {
  it('keeps retrying a daemon that is not there: warns once for the outage, then only at debug', async () => {
    const { docker, metrics, sessions, outageLines } = connection(1);
    docker.start();
    await until('three attempts', () => outageLines().length >= 3);
    await docker.shutdown();
    const [first, ...rest] = outageLines();
    expect(first).toMatchObject({ level: 40, msg: 'the Docker daemon is unreachable; retrying' });
    expect(new Set(rest.map((l) => l.level))).toEqual(new Set([20]));
    expect([docker.connected, sessions.length, metrics.value(DOCKER_METRICS.sessions)]).toEqual([false, 0, 0]);
  });

  it('shutdown ends a reconnect wait at once', async () => {
    // The wait is up to ten minutes: a shutdown that sat it out would fail the test by its timeout.
    const { docker, outageLines } = connection(600_000);
    docker.start();
    await until('the first attempt', () => outageLines().length === 1);
    await docker.shutdown();
    await docker.shutdown();
    expect(docker.connected).toBe(false);
  });
});
