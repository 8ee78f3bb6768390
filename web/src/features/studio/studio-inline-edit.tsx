import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../widgets/button.tsx';

/**
 * Text shown as is, with an Edit button that turns it into a field. `onSave` resolves true when
 * the change was applied (the field closes), false to keep it open (the caller shows the error).
 */
export function InlineEdit({
  label,
  value,
  multiline = false,
  placeholder,
  disabled = false,
  busy = false,
  maxLength,
  onSave,
  children,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  placeholder?: string;
  disabled?: boolean;
  busy?: boolean;
  maxLength?: number;
  onSave: (value: string) => Promise<boolean>;
  /** How the value reads when not editing (defaults to the text). */
  children?: ReactNode;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    if (editing) field.current?.focus();
  }, [editing]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (draft.trim() === value.trim()) {
      setEditing(false);
      return;
    }
    if (await onSave(draft.trim())) setEditing(false);
  }

  if (!editing) {
    return (
      <div className="group flex items-start gap-2">
        <div className="min-w-0 flex-1">
          {children ??
            (value ? value : <span className="text-slate-400 italic">{placeholder ?? 'Not set'}</span>)}
        </div>
        {!disabled && (
          <button
            type="button"
            aria-label={`Edit ${label.toLowerCase()}`}
            onClick={() => {
              setDraft(value);
              setEditing(true);
            }}
            className="shrink-0 rounded px-1.5 py-0.5 text-xs font-medium text-slate-500 opacity-70 hover:bg-slate-100 hover:text-slate-800 group-hover:opacity-100 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            Edit
          </button>
        )}
      </div>
    );
  }
  const control =
    'block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20';
  return (
    <form onSubmit={save} aria-label={`Edit ${label.toLowerCase()}`} className="space-y-2">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      {multiline ? (
        <textarea
          ref={field}
          id={id}
          rows={3}
          value={draft}
          maxLength={maxLength}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          className={control}
        />
      ) : (
        <input
          ref={field}
          id={id}
          value={draft}
          maxLength={maxLength}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          className={control}
        />
      )}
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={busy}>
          Save
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
