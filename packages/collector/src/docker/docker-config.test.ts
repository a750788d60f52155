import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

describe('Docker options of loadConfig', () => {
  it('defaults to the local socket, on, with logs', () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({ dockerEnabled: true, dockerHost: 'unix:///var/run/docker.sock', containerLogsEnabled: true });
  });

  it('honours DOCKER_HOST and TRACEDOCK_DOCKER=off', () => {
    const config = loadConfig({}, { DOCKER_HOST: 'unix:///tmp/x/docker.sock', TRACEDOCK_DOCKER: 'off', TRACEDOCK_CONTAINER_LOGS: 'no' });
    expect(config).toMatchObject({ dockerHost: 'unix:///tmp/x/docker.sock', dockerEnabled: false, containerLogsEnabled: false });
    expect(loadConfig({}, { DOCKER_HOST: 'tcp://127.0.0.1:2375' }).dockerHost).toBe('tcp://127.0.0.1:2375');
  });

  it('names the variable and the value it cannot use', () => {
    expect(() => loadConfig({}, { DOCKER_HOST: 'ssh://me@host' })).toThrow('DOCKER_HOST must be unix:///path/to/docker.sock or tcp://host:port, got "ssh://me@host"');
    expect(() => loadConfig({}, { TRACEDOCK_DOCKER: 'maybe' })).toThrow('TRACEDOCK_DOCKER must be on or off');
    expect(() => loadConfig({ dockerReconnectMinMillis: 5_000, dockerReconnectMaxMillis: 1_000 }, {})).toThrow('dockerReconnectMaxMillis');
  });
});
