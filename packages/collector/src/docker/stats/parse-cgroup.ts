/*
 * Pure parsers of cgroup files (v1 and v2), over the text the kernel writes. Formats: the
 * kernel's Documentation/admin-guide/cgroup-v2.rst ("Interface Files": flat-keyed, nested-keyed,
 * single-value files; io.stat; PSI in accounting/psi.rst) and cgroup-v1/{memory,blkio-controller,
 * cpuacct}.rst. A value that is absent or not a number comes back as undefined/null, never NaN.
 */

function toNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A flat-keyed file, one "key value" per line: cpu.stat, memory.stat, memory.events, memory.oom_control.
 * @example parseFlatKeyed('nr_periods 50\nnr_throttled 49\n').get('nr_throttled') // 49
 */
export function parseFlatKeyed(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = toNumber(line.slice(space + 1).trim());
    if (value !== undefined) values.set(line.slice(0, space), value);
  }
  return values;
}

/**
 * A single-value file: a number, or 'max' (v2's "no limit"); undefined when it is neither.
 * @example parseSingleValue('67108864\n') // 67108864
 */
export function parseSingleValue(text: string): number | 'max' | undefined {
  const trimmed = text.trim();
  return trimmed === 'max' ? 'max' : toNumber(trimmed);
}

/** v1 reports "no limit" as the largest page-aligned long (9223372036854771712); beyond this it is none. */
const V1_UNLIMITED_BYTES = 2 ** 62;

/** A memory limit from memory.limit_in_bytes (v1) or memory.max (v2); null = no limit. */
export function parseMemoryLimit(text: string): number | null {
  const value = parseSingleValue(text);
  if (value === undefined || value === 'max' || value >= V1_UNLIMITED_BYTES) return null;
  return value;
}

/**
 * The CPU quota in cores from v2 cpu.max ("$MAX $PERIOD"; MAX is 'max' without a quota).
 * @example parseCpuMax('20000 100000\n') // 0.2
 */
export function parseCpuMax(text: string): number | null {
  const [max, period] = text.trim().split(/\s+/);
  return coresOf(toNumber(max), toNumber(period));
}

/** v1 cpu.cfs_quota_us / cpu.cfs_period_us in cores; a quota of -1 means none. */
export function coresOf(quotaMicros: number | undefined, periodMicros: number | undefined): number | null {
  if (quotaMicros === undefined || periodMicros === undefined || quotaMicros <= 0 || periodMicros <= 0) return null;
  return quotaMicros / periodMicros;
}

export interface PressureTotals {
  /** Cumulative µs during which at least one task stalled on the resource. */
  someMicros: number | null;
  /** Cumulative µs during which all non-idle tasks stalled (absent from cpu.pressure before Linux 5.13). */
  fullMicros: number | null;
}

/**
 * A PSI file: "some avg10=0.00 avg60=0.00 avg300=0.00 total=123" and the same for "full".
 * @example parsePressure('some avg10=1.00 avg60=0.50 avg300=0.10 total=3083494\n').someMicros // 3083494
 */
export function parsePressure(text: string): PressureTotals {
  const totals: PressureTotals = { someMicros: null, fullMicros: null };
  for (const line of text.split('\n')) {
    const kind = line.startsWith('some ') ? 'someMicros' : line.startsWith('full ') ? 'fullMicros' : null;
    if (kind === null) continue;
    const at = line.indexOf('total=');
    const value = at < 0 ? undefined : toNumber(line.slice(at + 'total='.length).split(' ')[0]?.trim());
    if (value !== undefined) totals[kind] = value;
  }
  return totals;
}

export interface BlockBytes {
  readBytes: number;
  writeBytes: number;
}

/**
 * v1 blkio.throttle.io_service_bytes: "MAJ:MIN Op bytes" per device and op, then "Total N".
 * Read and Write are summed over devices, as the docker CLI sums the entries whose op starts
 * with r or w (dockerd fills io_service_bytes_recursive from this file on hosts without CFQ).
 */
export function parseBlkioServiceBytes(text: string): BlockBytes {
  const bytes: BlockBytes = { readBytes: 0, writeBytes: 0 };
  for (const line of text.split('\n')) {
    const [device, op, raw] = line.trim().split(/\s+/);
    if (device === undefined || op === undefined || !device.includes(':')) continue;
    const value = toNumber(raw);
    if (value === undefined) continue;
    if (op === 'Read') bytes.readBytes += value;
    else if (op === 'Write') bytes.writeBytes += value;
  }
  return bytes;
}

/**
 * v2 io.stat: "MAJ:MIN rbytes=.. wbytes=.. rios=.. wios=.. dbytes=.. dios=.." per device; summed.
 * @example parseIoStat('8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n') // { readBytes: 4096, writeBytes: 8192 }
 */
export function parseIoStat(text: string): BlockBytes {
  const bytes: BlockBytes = { readBytes: 0, writeBytes: 0 };
  for (const line of text.split('\n')) {
    for (const field of line.trim().split(/\s+/).slice(1)) {
      const eq = field.indexOf('=');
      const value = eq < 0 ? undefined : toNumber(field.slice(eq + 1));
      if (value === undefined) continue;
      const key = field.slice(0, eq);
      if (key === 'rbytes') bytes.readBytes += value;
      else if (key === 'wbytes') bytes.writeBytes += value;
    }
  }
  return bytes;
}
