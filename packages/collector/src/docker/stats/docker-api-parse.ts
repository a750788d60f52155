import { z } from 'zod';
import type { ContainerSampleRow } from '../../model/rows.js';
import { cpuPercent, memoryWorkingSetBytes, nsToMs, type CpuClock } from './docker-formulas.js';
import { NO_PRESSURE } from './reading.js';

/*
 * One message of GET /containers/{id}/stats (Docker Engine API, "ContainerStatsResponse"),
 * checked field by field; only what a sample needs is kept. Both cgroup versions are accepted:
 * on v2 dockerd omits percpu_usage, max_usage and failcnt (it reports memory.events "oom" as
 * failcnt when present), fills blkio only in io_service_bytes_recursive, and memory_stats.stats
 * carries v2 keys (inactive_file instead of total_inactive_file).
 */

const count = z.number().nonnegative();

const CPU_STATS = z.object({
  cpu_usage: z.object({ total_usage: count }).nullish(),
  system_cpu_usage: count.nullish(),
  online_cpus: count.nullish(),
  throttling_data: z
    .object({ periods: count, throttled_periods: count, throttled_time: count })
    .nullish(),
});

const STATS = z.object({
  read: z.string(),
  pids_stats: z.object({ current: count.nullish() }).nullish(),
  blkio_stats: z
    .object({ io_service_bytes_recursive: z.array(z.object({ op: z.string(), value: count })).nullish() })
    .nullish(),
  cpu_stats: CPU_STATS.nullish(),
  precpu_stats: CPU_STATS.nullish(),
  memory_stats: z
    .object({
      usage: count.nullish(),
      limit: count.nullish(),
      failcnt: count.nullish(),
      stats: z.record(z.string(), z.number()).nullish(),
    })
    .nullish(),
  networks: z.record(z.string(), z.object({ rx_bytes: count, tx_bytes: count })).nullish(),
});

type CpuStats = z.infer<typeof CPU_STATS>;

export type DockerStatsParse =
  | { ok: true; sample: Omit<ContainerSampleRow, 'containerId'> }
  | { ok: false; reason: 'invalid' | 'no-sample'; message: string };

/** RFC 3339 with up to 9 fraction digits, as dockerd writes `read`, to ns since the epoch. */
export function rfc3339ToNs(text: string): bigint | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (match === null || match[1] === undefined || match[3] === undefined) return null;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (!Number.isFinite(seconds)) return null;
  const fraction = BigInt((match[2] ?? '').padEnd(9, '0'));
  return BigInt(seconds) * 1_000_000n + fraction;
}

function clockOf(cpu: CpuStats | null | undefined): CpuClock | null {
  const containerNs = cpu?.cpu_usage?.total_usage;
  const systemNs = cpu?.system_cpu_usage;
  // The first message of a stream has an empty precpu_stats (no system_cpu_usage): no rate yet.
  if (containerNs === undefined || systemNs === undefined || systemNs === null || systemNs === 0) return null;
  return { containerNs, systemNs, onlineCpus: cpu?.online_cpus ?? 0 };
}

/**
 * A sample from one stats message: CPU % from precpu_stats to cpu_stats (dockerd's own two
 * readings ~1 s apart), memory without inactive page cache, block I/O from the entries whose op
 * starts with r/w, network summed over interfaces (null when dockerd sends none: host network).
 * @example const parsed = parseDockerStats(JSON.parse(line)); if (parsed.ok) rows.push({ containerId, ...parsed.sample });
 */
export function parseDockerStats(payload: unknown): DockerStatsParse {
  const checked = STATS.safeParse(payload);
  if (!checked.success) {
    return { ok: false, reason: 'invalid', message: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  const stats = checked.data;
  const timeNs = rfc3339ToNs(stats.read);
  // A stopped container answers with zero times and empty sections: nothing to sample.
  if (timeNs === null || timeNs <= 0n) {
    return { ok: false, reason: 'no-sample', message: `read time ${JSON.stringify(stats.read)} is not a sample time` };
  }

  const current = clockOf(stats.cpu_stats);
  const throttling = stats.cpu_stats?.throttling_data;
  const memory = stats.memory_stats;
  const usage = memory?.usage;
  let readBytes: number | null = null;
  let writeBytes: number | null = null;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op[0];
    if (op === 'r' || op === 'R') readBytes = (readBytes ?? 0) + entry.value;
    else if (op === 'w' || op === 'W') writeBytes = (writeBytes ?? 0) + entry.value;
  }
  const networks = stats.networks == null ? null : Object.values(stats.networks);

  return {
    ok: true,
    sample: {
      timeNs,
      cpuPercent: current === null ? null : cpuPercent(clockOf(stats.precpu_stats), current),
      cpuThrottledMs: nsToMs(throttling?.throttled_time),
      cpuPeriods: throttling?.periods ?? null,
      cpuThrottledPeriods: throttling?.throttled_periods ?? null,
      // The stats API carries no quota; inspect (discovery) has it in the container's metadata.
      cpuLimitCores: null,
      memoryBytes: usage == null ? null : memoryWorkingSetBytes(usage, new Map(Object.entries(memory?.stats ?? {}))),
      // dockerd already caps an unlimited container's limit at the machine's memory.
      memoryLimitBytes: memory?.limit ?? null,
      // omitempty: dockerd leaves failcnt out when it is 0 (v1) and on v2 without memory.events.
      memoryFailcnt: usage == null ? null : (memory?.failcnt ?? 0),
      memoryOomKills: null,
      netRxBytes: networks === null ? null : networks.reduce((sum, n) => sum + n.rx_bytes, 0),
      netTxBytes: networks === null ? null : networks.reduce((sum, n) => sum + n.tx_bytes, 0),
      // An empty list is zero bytes (no I/O yet), as the CLI shows it.
      blkReadBytes: stats.blkio_stats == null ? null : (readBytes ?? 0),
      blkWriteBytes: stats.blkio_stats == null ? null : (writeBytes ?? 0),
      pids: stats.pids_stats?.current ?? null,
      ...NO_PRESSURE,
    },
  };
}
