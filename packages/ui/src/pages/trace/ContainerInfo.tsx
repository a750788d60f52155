import type { WireContainer } from '../../api/wire.js';
import { Link } from '../../router/Link.js';
import { shortId } from '../../format/units.js';

/** Which container a span ran in, or why none is known. */
export function ContainerInfo({ containerId, container }: { containerId: string | null; container: WireContainer | undefined }) {
  if (containerId === null) {
    return (
      <p class="muted">
        No container matched this span (its resource has no <code>container.id</code>, no matching <code>host.name</code>, and
        no single Compose service of that name was running).
      </p>
    );
  }
  if (container === undefined) {
    return (
      <p class="muted">
        Container <span class="mono">{shortId(containerId, 12)}</span> (no metadata stored for it).
      </p>
    );
  }
  return (
    <dl class="facts">
      <dt>Name</dt>
      <dd>
        <Link to={`/containers/${container.id}`}>{container.name}</Link> <span class="muted mono">{shortId(container.id, 12)}</span>
      </dd>
      <dt>Image</dt>
      <dd class="mono">{container.image}</dd>
      <dt>Host</dt>
      <dd class="mono">{container.host === '' ? '—' : container.host}</dd>
      <dt>Compose</dt>
      <dd>{container.project === null && container.service === null ? '—' : `${container.project ?? '—'} / ${container.service ?? '—'}`}</dd>
      <dt>State</dt>
      <dd>
        {container.state}
        {container.restartCount > 0 ? `, restarted ${container.restartCount}×` : ''}
      </dd>
    </dl>
  );
}
