import { hostname } from 'node:os';
import type { CollectorConfig } from './config.js';
import { createDockerClient } from './docker/connection/endpoint.js';
import { engineName } from './docker/connection/engine-name.js';

/**
 * The name of the Docker host this collector runs for. With one collector per host writing
 * to one store, it tells their containers apart (ids are unique per engine only) and the UI
 * shows it. The setting if given; else the Docker engine's name (the host's, even when the
 * collector runs in a container, whose own hostname is a random id); else this machine's.
 */
export async function resolveHostName(config: Pick<CollectorConfig, 'hostName' | 'dockerEnabled' | 'dockerHost' | 'dockerRequestTimeoutMillis'>): Promise<string> {
  if (config.hostName !== '') return config.hostName;
  if (config.dockerEnabled) {
    const client = createDockerClient(config.dockerHost);
    try {
      const name = await engineName(client.docker, AbortSignal.timeout(config.dockerRequestTimeoutMillis));
      if (name !== undefined) return name;
    } finally {
      client.close();
    }
  }
  return hostname();
}
