import type { CollectorConfig } from '../config.js';
import type { ContainerSampleRow } from '../model/rows.js';
import type { Logger } from '../telemetry/logger.js';
import type { MetricsRegistry } from '../telemetry/metrics.js';
import { createDockerClient } from './connection/endpoint.js';
import type { ContainerRegistry } from './discovery/ContainerRegistry.js';
import { StatsSampler } from './stats/sampler.js';
import { createStatsSource } from './stats/select-source.js';
import type { SampleTarget } from './stats/StatsSource.js';

export interface ContainerStatsOptions {
  config: Pick<CollectorConfig, 'dockerHost' | 'statsIntervalMillis' | 'statsSource' | 'cgroupRoot' | 'procRoot'>;
  registry: ContainerRegistry;
  write: (rows: ContainerSampleRow[]) => void;
  metrics: MetricsRegistry;
  logger: Logger;
}

/** The sampler's targets: the containers the registry has alive now. */
export function sampleTargets(registry: ContainerRegistry): SampleTarget[] {
  return registry.alive().map(({ meta }) => ({ id: meta.id, pid: meta.pid, hostNetwork: meta.networkMode === 'host' }));
}

/**
 * Resource sampling of every live container (docker/stats: cgroup files, or the stats API
 * where those are out of sight). It has its own Docker client, not a session's: cgroup
 * sampling goes on while the daemon restarts (containers survive it with --live-restore),
 * and the API source reopens its streams by itself. Throws for an impossible statsSource.
 * @example const stats = startContainerStats({ config, registry, write, metrics, logger }); await stats.shutdown();
 */
export function startContainerStats(options: ContainerStatsOptions): { shutdown(): Promise<void> } {
  const { config, registry, write, metrics, logger } = options;
  const client = createDockerClient(config.dockerHost);
  let sampler: StatsSampler;
  try {
    const source = createStatsSource({ ...config, docker: client.docker, logger, metrics });
    sampler = new StatsSampler({ source, targets: () => sampleTargets(registry), write, intervalMillis: config.statsIntervalMillis, metrics, logger });
  } catch (error) {
    client.close();
    throw error;
  }
  sampler.start();
  let stopped: Promise<void> | undefined;
  return {
    shutdown: () => {
      stopped ??= sampler.shutdown().finally(() => client.close());
      return stopped;
    },
  };
}
