import { selectClass } from '../../widgets/field.tsx';
import { RANGES, type RangeKey } from './telemetry-paths.ts';

/** The window of a telemetry view. */
export function RangeSelect({ value, onChange }: { value: RangeKey; onChange: (r: RangeKey) => void }) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <span>Last</span>
      <select
        aria-label="Time range"
        className={`${selectClass} w-auto`}
        value={value}
        onChange={(e) => onChange(e.target.value as RangeKey)}
      >
        {Object.keys(RANGES).map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </label>
  );
}
