import { KeyValueTable } from '../../components/KeyValueTable.js';
import { Link } from '../../router/Link.js';
import type { TraceModel } from './model.js';
import { linkTarget, type SpanLink } from './span-links.js';

/**
 * The span's links (a consumer's batch, a retry, a follow-up): each opens the linked trace
 * with the linked span selected. A link into this trace names its span; a trace the
 * collector does not have opens to its "not found" page, as any unknown trace does.
 */
export function SpanLinks({ links, model }: { links: readonly SpanLink[]; model: TraceModel }) {
  if (links.length === 0) return <p class="muted">No links.</p>;
  return (
    <ul class="span-links" aria-label="Links">
      {links.map((link, i) => {
        const target = linkTarget(link, model.traceId);
        const index = target?.sameTrace === true ? model.indexById.get(link.spanId.toLowerCase()) : undefined;
        const linkedSpan = index === undefined ? undefined : model.rows[index]?.span;
        return (
          <li key={i} data-testid="span-link">
            {target === undefined ? (
              <span class="mono">{link.traceId}</span>
            ) : (
              <Link to={target.href} class="mono" title={`Open trace ${link.traceId}`}>
                {link.traceId}
              </Link>
            )}
            <div class="muted small">
              {target === undefined
                ? 'not a valid trace id'
                : target.sameTrace
                  ? linkedSpan !== undefined
                    ? `this trace, span ${linkedSpan.service}: ${linkedSpan.name}`
                    : `this trace, span ${link.spanId} (not received)`
                  : `span ${link.spanId}`}
              {link.traceState !== '' && (
                <>
                  {' · trace state '}
                  <span class="mono">{link.traceState}</span>
                </>
              )}
            </div>
            {Object.keys(link.attributes).length > 0 && <KeyValueTable entries={link.attributes} label="Link attributes" />}
          </li>
        );
      })}
    </ul>
  );
}
