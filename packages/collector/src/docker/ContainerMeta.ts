/**
 * What tracedock keeps about one container, from `GET /containers/{id}/json` (inspect).
 * Times are nanoseconds since the epoch; null where Docker has none.
 */
export interface ContainerMeta {
  /** Full 64-hex id. */
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** The image as the container was created from it (Config.Image), e.g. "redis:7". */
  image: string;
  hostname: string;
  labels: Record<string, string>;
  /** Compose labels com.docker.compose.service / .project. */
  service: string | null;
  project: string | null;
  /** Docker's State.Status: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  /** Running, paused or restarting: the container still exists as a process tree. */
  alive: boolean;
  /** Host pid of the main process; null when not running. */
  pid: number | null;
  createdAtNs: bigint | null;
  startedAtNs: bigint | null;
  finishedAtNs: bigint | null;
  restartCount: number;
  /** CPU limit in cores (NanoCpus, else CpuQuota / CpuPeriod); null when unlimited. */
  cpuLimitCores: number | null;
  memoryLimitBytes: number | null;
  networkMode: string;
  /** The container shares the host's network or UTS namespace: its hostname is the host's. */
  sharesHostName: boolean;
  /** Allocated a TTY: its log stream is raw, not multiplexed. */
  tty: boolean;
  oomKilled: boolean;
  exitCode: number;
  /** State.Health.Status (starting, healthy, unhealthy) or null without a health check. */
  health: string | null;
  /** HostConfig.LogConfig.Type, e.g. json-file; "none" cannot be read back. */
  logDriver: string;
}

export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

/** Docker's default hostname: the first 12 hex digits of the id. */
export const SHORT_ID_CHARS = 12;
