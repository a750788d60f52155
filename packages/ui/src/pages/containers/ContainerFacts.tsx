import type { WireContainer } from '../../api/wire.js';
import { formatBytes } from '../../format/units.js';

export function ContainerFacts({ container }: { container: WireContainer }) {
  return (
    <dl class="facts facts-inline">
      <dt>Id</dt>
      <dd class="mono">{container.id}</dd>
      <dt>Image</dt>
      <dd class="mono">{container.image}</dd>
      <dt>Host</dt>
      <dd class="mono">{container.host === '' ? '—' : container.host}</dd>
      <dt>State</dt>
      <dd>
        {container.state}
        {container.restartCount > 0 ? ` (${container.restartCount} restarts)` : ''}
      </dd>
      <dt>Compose</dt>
      <dd>
        {container.project ?? '—'} / {container.service ?? '—'}
      </dd>
      <dt>Started</dt>
      <dd>{container.startedAt ?? '—'}</dd>
      <dt>Limits</dt>
      <dd>
        CPU {container.cpuLimit === null ? 'none' : `${container.cpuLimit} CPUs`}, memory{' '}
        {container.memoryLimitBytes === null ? 'none' : formatBytes(container.memoryLimitBytes)}
      </dd>
    </dl>
  );
}
