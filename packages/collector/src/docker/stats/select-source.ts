import type Dockerode from 'dockerode';
import type { CollectorConfig } from '../../config.js';
import type { ContainerSampleRow } from '../../model/rows.js';
import type { Logger } from '../../telemetry/logger.js';
import type { MetricsRegistry } from '../../telemetry/metrics.js';
import { detectCgroupVersion } from './cgroup-layout.js';
import { CgroupStatsSource } from './cgroup-source.js';
import { DockerApiStatsSource } from './docker-api.js';
import { StatsErrorLog, type ReportError } from './errors.js';
import type { SampleTarget, StatsSource } from './StatsSource.js';

export interface StatsSourceOptions extends Pick<CollectorConfig, 'statsSource' | 'cgroupRoot' | 'procRoot'> {
  docker: Dockerode;
  logger: Logger;
  metrics: MetricsRegistry;
}

const STREAMS_METRIC = 'tracedock_stats_api_streams';
/** Ticks before a container sampled through the API is looked for in the cgroup tree again. */
const RECHECK_TICKS = 30;

/**
 * The source the config asks for. 'auto' decides at start: the cgroup files when cgroupRoot
 * holds a cgroup hierarchy (per container, the API for any whose files are not there), else
 * the Docker API. 'cgroup' throws here when cgroupRoot holds none, naming the option.
 * @example const source = createStatsSource({ ...config, docker, logger, metrics });
 */
export function createStatsSource(options: StatsSourceOptions): StatsSource {
  const errors = new StatsErrorLog(options.logger, options.metrics);
  const api = (): DockerApiStatsSource => {
    const source = new DockerApiStatsSource({ docker: options.docker, onError: errors.report });
    options.metrics.gauge(STREAMS_METRIC, 'Docker stats API streams open', () => source.openStreams);
    return source;
  };
  if (options.statsSource === 'docker-api') return api();
  const version = detectCgroupVersion(options.cgroupRoot);
  if (version === null) {
    if (options.statsSource === 'cgroup') {
      throw new Error(
        `option statsSource is 'cgroup' but cgroupRoot ${JSON.stringify(options.cgroupRoot)} holds no cgroup v1 or v2 ` +
          'hierarchy (in a container, bind the host\'s /sys/fs/cgroup read-only and set TRACEDOCK_CGROUP_ROOT)',
      );
    }
    options.logger.info({ cgroupRoot: options.cgroupRoot }, 'no cgroup hierarchy visible: container stats come from the Docker API');
    return api();
  }
  const cgroup = new CgroupStatsSource({ ...options, version, onError: errors.report });
  if (options.statsSource === 'cgroup') return cgroup;
  return new AutoStatsSource(cgroup, api, errors.report);
}

/**
 * Cgroup files first; a container whose files cannot be found (another cgroup parent, a
 * runtime that places it elsewhere, a partial bind mount) is sampled through the API, and
 * looked for in the cgroup tree again every RECHECK_TICKS ticks.
 */
export class AutoStatsSource implements StatsSource {
  readonly kind: CgroupStatsSource['kind'];
  readonly #cgroup: CgroupStatsSource;
  readonly #createApi: () => StatsSource;
  readonly #onError: ReportError;
  #api: StatsSource | null = null;
  /** Containers on the API path -> ticks left before the next cgroup lookup. */
  readonly #viaApi = new Map<string, number>();

  /** `createApi` runs on the first container the cgroup tree lacks, so hosts that need no API open none. */
  constructor(cgroup: CgroupStatsSource, createApi: () => StatsSource, onError: ReportError) {
    this.kind = cgroup.kind;
    this.#cgroup = cgroup;
    this.#createApi = createApi;
    this.#onError = onError;
  }

  /** Containers sampled through the API now. */
  get apiTargets(): number {
    return this.#viaApi.size;
  }

  async sample(targets: readonly SampleTarget[], nowNs: bigint): Promise<ContainerSampleRow[]> {
    const live = new Set(targets.map((t) => t.id));
    for (const id of this.#viaApi.keys()) if (!live.has(id)) this.#viaApi.delete(id);

    const fromFiles: SampleTarget[] = [];
    const fromApi: SampleTarget[] = [];
    for (const target of targets) {
      const ticksLeft = this.#viaApi.get(target.id);
      if (ticksLeft === undefined || ticksLeft <= 0) fromFiles.push(target);
      else {
        this.#viaApi.set(target.id, ticksLeft - 1);
        fromApi.push(target);
      }
    }
    const { rows, unresolved } = this.#cgroup.sampleDetailed(fromFiles, nowNs);
    const missing = new Set(unresolved.map((t) => t.id));
    for (const target of fromFiles) {
      if (this.#viaApi.has(target.id) && !missing.has(target.id)) this.#viaApi.delete(target.id);
    }
    for (const target of unresolved) {
      if (!this.#viaApi.has(target.id)) {
        this.#onError('cgroup-not-found', new Error(`no cgroup files for container ${target.id}: using the Docker API`));
      }
      this.#viaApi.set(target.id, RECHECK_TICKS);
      fromApi.push(target);
    }
    if (fromApi.length === 0 && this.#api === null) return rows;
    this.#api ??= this.#createApi();
    return rows.concat(await this.#api.sample(fromApi, nowNs));
  }

  async shutdown(): Promise<void> {
    try {
      await this.#api?.shutdown();
    } finally {
      await this.#cgroup.shutdown();
    }
  }
}
