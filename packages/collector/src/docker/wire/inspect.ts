import { z } from 'zod';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  type ContainerMeta,
} from '../ContainerMeta.js';
import { parseDockerTimeNs } from './docker-time.js';

export const CONTAINER_ID = z.string().regex(/^[0-9a-f]{64}$/);

/** Only the fields tracedock reads; zod drops the rest of Docker's large inspect document. */
const INSPECT = z.object({
  Id: CONTAINER_ID,
  Name: z.string(),
  Created: z.string(),
  RestartCount: z.number().int().nonnegative(),
  State: z.object({
    Status: z.string(),
    Running: z.boolean(),
    Paused: z.boolean().optional(),
    Restarting: z.boolean().optional(),
    OOMKilled: z.boolean(),
    Pid: z.number().int(),
    ExitCode: z.number().int(),
    StartedAt: z.string(),
    FinishedAt: z.string(),
    Health: z.object({ Status: z.string() }).nullish(),
  }),
  Config: z.object({
    Hostname: z.string(),
    Image: z.string(),
    Labels: z.record(z.string(), z.string()).nullish(),
    Tty: z.boolean().optional(),
  }),
  HostConfig: z.object({
    NanoCpus: z.number().nullish(),
    CpuQuota: z.number().nullish(),
    CpuPeriod: z.number().nullish(),
    Memory: z.number().nullish(),
    NetworkMode: z.string().nullish(),
    UTSMode: z.string().nullish(),
    LogConfig: z.object({ Type: z.string() }).nullish(),
  }),
});

const NANO_CPUS_PER_CORE = 1e9;
/** The kernel's default CFS period (100 ms) when only a quota was given. */
const DEFAULT_CPU_PERIOD_MICROS = 100_000;

function cpuLimitCores(host: z.infer<typeof INSPECT>['HostConfig']): number | null {
  if (host.NanoCpus != null && host.NanoCpus > 0) return host.NanoCpus / NANO_CPUS_PER_CORE;
  if (host.CpuQuota != null && host.CpuQuota > 0) {
    const period = host.CpuPeriod != null && host.CpuPeriod > 0 ? host.CpuPeriod : DEFAULT_CPU_PERIOD_MICROS;
    return host.CpuQuota / period;
  }
  return null;
}

export type InspectParse = { ok: true; meta: ContainerMeta } | { ok: false; message: string };

/**
 * Checks an inspect payload and keeps what tracedock needs; never trusts its shape.
 * @example const parsed = parseInspect(await container.inspect()); if (parsed.ok) registry.upsert(parsed.meta);
 */
export function parseInspect(payload: unknown): InspectParse {
  const checked = INSPECT.safeParse(payload);
  if (!checked.success) return { ok: false, message: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const { Id, Name, State, Config, HostConfig, RestartCount, Created } = checked.data;
  const labels = Config.Labels ?? {};
  const alive = State.Running || State.Paused === true || State.Restarting === true;
  const networkMode = HostConfig.NetworkMode ?? 'default';
  return {
    ok: true,
    meta: {
      id: Id,
      name: Name.startsWith('/') ? Name.slice(1) : Name,
      image: Config.Image,
      hostname: Config.Hostname,
      labels,
      service: labels[COMPOSE_SERVICE_LABEL] ?? null,
      project: labels[COMPOSE_PROJECT_LABEL] ?? null,
      state: State.Status,
      alive,
      pid: State.Running && State.Pid > 0 ? State.Pid : null,
      createdAtNs: parseDockerTimeNs(Created),
      startedAtNs: parseDockerTimeNs(State.StartedAt),
      finishedAtNs: parseDockerTimeNs(State.FinishedAt),
      restartCount: RestartCount,
      cpuLimitCores: cpuLimitCores(HostConfig),
      memoryLimitBytes: HostConfig.Memory != null && HostConfig.Memory > 0 ? HostConfig.Memory : null,
      networkMode,
      sharesHostName: networkMode === 'host' || HostConfig.UTSMode === 'host',
      tty: Config.Tty === true,
      oomKilled: State.OOMKilled,
      exitCode: State.ExitCode,
      health: State.Health?.Status ?? null,
      logDriver: HostConfig.LogConfig?.Type ?? 'json-file',
    },
  };
}
