import { lineColor } from '../../format/service-colors.js';
import type { MetricLine } from './metric-lines.js';

/** A fold, not a spread: a line may hold more points than a call takes arguments. */
function extreme(values: readonly number[], pick: (a: number, b: number) => number): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => pick(a, b));
}

/** Each line's last, lowest and highest value: the figures under the chart, readable without hovering. */
export function SeriesTable({ lines, format }: { lines: readonly MetricLine[]; format: (value: number) => string }) {
  return (
    <table class="list series-table" aria-label="Series">
      <thead>
        <tr>
          <th scope="col">Series</th>
          <th scope="col" class="num">Last</th>
          <th scope="col" class="num">Min</th>
          <th scope="col" class="num">Max</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, i) => {
          const values = line.points.flatMap((p) => (p.y === null ? [] : [p.y]));
          const last = values[values.length - 1];
          const text = (v: number | undefined): string => (v === undefined ? '—' : format(v));
          return (
            <tr key={`${i}:${line.label}`}>
              <td>
                <span class="svc-dot" style={{ background: lineColor(i) }} aria-hidden="true" />
                {line.label}
              </td>
              <td class="num">{text(last)}</td>
              <td class="num">{text(extreme(values, Math.min))}</td>
              <td class="num">{text(extreme(values, Math.max))}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
