/** Open / closed / all — a segmented control whose choice lives in the address (`?state=`). */
export function StateFilter<S extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: S;
  options: Array<{ value: S; label: string }>;
  onChange: (value: S) => void;
  label: string;
}) {
  return (
    <fieldset className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-xs">
      <legend className="sr-only">{label}</legend>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
          className="rounded px-3 py-1 text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-emerald-600 aria-pressed:bg-emerald-50 aria-pressed:text-emerald-800"
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  );
}
