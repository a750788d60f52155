import { api, type TimeWindow } from '../../api/endpoints.js';
import { useApi } from '../../api/useApi.js';
import type { WireContainer } from '../../api/wire.js';
import { Sparkline } from '../../charts/Sparkline.js';
import { chartTheme } from '../../format/chart-theme.js';
import { formatBytes, formatPercent, shortId } from '../../format/units.js';
import { href } from '../../router/location.js';
import { Link } from '../../router/Link.js';

/** One container of the list, with its CPU and memory over the chosen window. */
export function ContainerRow({ container, window, rangeParams }: { container: WireContainer; window: TimeWindow; rangeParams: Record<string, string | undefined> }) {
  const [samples] = useApi((signal) => api.samples(container, window, signal), [container.host, container.id, window.startMs, window.endMs]);
  const list = samples.state === 'ok' ? samples.value : [];
  const cpu = list.map((s) => s.cpuPercent);
  const memory = list.map((s) => s.memoryBytes);
  const lastCpu = cpu.findLast((v) => v !== null) ?? null;
  const lastMemory = memory.findLast((v) => v !== null) ?? null;
  const color = chartTheme().series[0] ?? '#4e79a7';
  const cell = (values: (number | null)[], last: number | null, format: (v: number) => string, what: string, maxValue?: number) =>
    samples.state === 'loading' ? (
      <span class="muted">…</span>
    ) : samples.state === 'error' ? (
      <span class="error-text" title={samples.failure.message}>
        failed
      </span>
    ) : last === null ? (
      <span class="muted">no samples</span>
    ) : (
      <span class="spark-cell">
        <Sparkline values={values} color={color} label={`${what} of ${container.name}, latest ${format(last)}`} maxValue={maxValue} />
        <span>{format(last)}</span>
      </span>
    );
  return (
    <tr data-testid="container-row">
      <td>
        <Link to={href(`/containers/${container.id}`, rangeParams)}>{container.name}</Link>{' '}
        <span class="muted mono">{shortId(container.id, 12)}</span>
      </td>
      <td>
        <span class={`state-pill state-${container.state === 'running' ? 'ok' : 'off'}`}>{container.state}</span>
        {container.restartCount > 0 && <span class="muted"> ({container.restartCount} restarts)</span>}
      </td>
      <td class="mono">{container.image}</td>
      <td>{container.project ?? '—'} / {container.service ?? '—'}</td>
      <td>{cell(cpu, lastCpu, formatPercent, 'CPU', container.cpuLimit === null ? undefined : container.cpuLimit * 100)}</td>
      <td>{cell(memory, lastMemory, formatBytes, 'Memory', container.memoryLimitBytes ?? undefined)}</td>
    </tr>
  );
}
