import { CUSTOM_RANGE_ID, parseTimeText, RELATIVE_RANGES, toLocalInput, type RangeChoice } from '../format/time-range.js';

/**
 * The time range control of every page: a relative range or a custom start/end in local
 * time. Custom times are kept as RFC 3339 (UTC) so that a shared URL means the same moment
 * in every time zone.
 */
export function RangePicker({ value, onChange }: { value: RangeChoice; onChange: (next: RangeChoice) => void }) {
  const custom = value.id === CUSTOM_RANGE_ID;
  const localValue = (text: string | undefined): string => {
    const ms = text === undefined ? undefined : parseTimeText(text);
    return ms === undefined ? '' : toLocalInput(ms);
  };
  const fromLocal = (text: string): string | undefined => (text === '' ? undefined : new Date(text).toISOString());
  const onSelect = (id: string): void => {
    if (id !== CUSTOM_RANGE_ID) return onChange({ id });
    const nowMs = Date.now();
    // Start from the last hour, so that switching to custom changes nothing until edited.
    onChange({ id, start: new Date(nowMs - 3_600_000).toISOString(), end: new Date(nowMs).toISOString() });
  };
  return (
    <>
      <label>
        Time range
        <select value={value.id} onChange={(e) => onSelect(e.currentTarget.value)}>
          {RELATIVE_RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
          <option value={CUSTOM_RANGE_ID}>Custom…</option>
        </select>
      </label>
      {custom && (
        <>
          <label>
            From
            <input
              type="datetime-local"
              value={localValue(value.start)}
              onChange={(e) => onChange({ ...value, start: fromLocal(e.currentTarget.value) })}
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              value={localValue(value.end)}
              onChange={(e) => onChange({ ...value, end: fromLocal(e.currentTarget.value) })}
            />
          </label>
        </>
      )}
    </>
  );
}
