import type { JsonValue } from '../api/validate.js';
import { valueText } from '../format/attribute-text.js';

/** A table of attributes (span, resource, event, evidence), keys sorted. */
export function KeyValueTable({ entries, label }: { entries: Record<string, JsonValue>; label: string }) {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return <p class="muted">No {label.toLowerCase()}.</p>;
  return (
    <table class="kv" aria-label={label}>
      <tbody>
        {keys.map((key) => {
          const value = entries[key];
          return (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>{value === undefined ? '' : valueText(value)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
