import { type FormEvent, useId } from 'react';
import type { AuditFilters } from '../../api/admin-types.ts';
import { Button } from '../../widgets/button.tsx';
import { compactControl } from '../../widgets/compact-control.ts';

const TEXT_FILTERS = [
  { name: 'q', label: 'Search', placeholder: 'Search words', type: 'search' },
  { name: 'actor', label: 'Actor', placeholder: 'Actor (username)', type: 'text' },
  { name: 'action', label: 'Action', placeholder: 'Action (user, token.revoke…)', type: 'text' },
  { name: 'targetType', label: 'Target type', placeholder: 'Target type', type: 'text' },
] as const;

/** A `datetime-local` value (the browser's time zone) as ISO 8601, or nothing. */
const toIso = (value: FormDataEntryValue | null) =>
  typeof value === 'string' && value ? new Date(value).toISOString() : undefined;
/** ISO 8601 back to a `datetime-local` value, for the form to show what is applied. */
const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The audit log's filters, applied together on submit (a search per keystroke would flood the log's reads). */
export function AuditFiltersForm({
  value,
  onApply,
}: {
  value: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}) {
  const id = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    onApply({
      q: text('q'),
      actor: text('actor'),
      action: text('action'),
      targetType: text('targetType'),
      since: toIso(form.get('since')),
      until: toIso(form.get('until')),
    });
  }
  return (
    <form
      // A new key per applied filter set: the fields show what is applied after "Clear".
      key={JSON.stringify(value)}
      onSubmit={submit}
      aria-label="Filter the audit log"
      className="grid grid-cols-1 gap-2 px-5 py-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      {TEXT_FILTERS.map((f) => (
        <div key={f.name}>
          <label htmlFor={`${id}-${f.name}`} className="sr-only">
            {f.label}
          </label>
          <input
            id={`${id}-${f.name}`}
            name={f.name}
            type={f.type}
            maxLength={f.name === 'q' ? 200 : 100}
            placeholder={f.placeholder}
            defaultValue={value[f.name] ?? ''}
            className={`${compactControl} w-full`}
          />
        </div>
      ))}
      {(['since', 'until'] as const).map((name) => (
        <div key={name} className="flex items-center gap-2">
          <label htmlFor={`${id}-${name}`} className="w-10 shrink-0 text-xs font-medium text-slate-600">
            {name === 'since' ? 'From' : 'Until'}
          </label>
          <input
            id={`${id}-${name}`}
            name={name}
            type="datetime-local"
            defaultValue={toLocal(value[name])}
            className={`${compactControl} min-w-0 flex-1`}
          />
        </div>
      ))}
      <div className="flex items-center gap-2 sm:col-span-2">
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => onApply({})}>
          Clear
        </Button>
      </div>
    </form>
  );
}
