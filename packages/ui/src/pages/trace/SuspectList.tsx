import type { WireSuspect } from '../../api/wire.js';
import { KeyValueTable } from '../../components/KeyValueTable.js';
import { formatClock } from '../../format/units.js';
import { evidenceFocus } from './evidence.js';
import { readableEvidence } from './evidence-text.js';
import type { ChartFocus } from './hover.js';
import type { SpanRow } from './model.js';

export function resourcesAnchor(containerId: string): string {
  return `resources-${containerId}`;
}

/** The resource suspects of one span: what, the evidence, and a link to the chart point. */
export function SuspectList({ suspects, row, onFocus }: { suspects: readonly WireSuspect[]; row: SpanRow; onFocus: (focus: ChartFocus) => void }) {
  return (
    <ul class="suspects" data-testid="span-suspects">
      {suspects.map((s, i) => {
        const focus = evidenceFocus(s, row);
        const show = (event: MouseEvent): void => {
          event.preventDefault();
          if (focus === undefined) return;
          onFocus(focus);
          document.getElementById(resourcesAnchor(s.containerId))?.scrollIntoView({ block: 'start', behavior: 'smooth' });
        };
        return (
          <li key={i} class="suspect">
            <p>
              <span class="badge badge-suspect">⚠ {s.kind}</span> {s.message}
            </p>
            <KeyValueTable entries={readableEvidence(s.evidence)} label="Evidence" />
            {focus !== undefined && (
              <a href={`#${resourcesAnchor(s.containerId)}`} onClick={show} data-testid="suspect-chart-link">
                Show on the charts at {formatClock(focus.timeMs)}
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
