/**
 * "1,234 / 4,000": how much of a text field's limit is used, so a long prompt is never cut short
 * without warning. It turns amber past 90 % and is announced to screen readers from then on.
 */
export function CharCount({ length, max, id }: { length: number; max: number; id?: string }) {
  const near = length >= max * 0.9;
  return (
    <span
      id={id}
      aria-live={near ? 'polite' : 'off'}
      className={`text-xs tabular-nums ${length >= max ? 'font-medium text-red-700' : near ? 'text-amber-700' : 'text-slate-400'}`}
    >
      {length.toLocaleString()} / {max.toLocaleString()}
      {length >= max && <span className="sr-only"> characters: the limit is reached</span>}
    </span>
  );
}
