import { type FormEvent, useId, useState } from 'react';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { useRequestChange } from './studio-queries.ts';

/**
 * "Request a change" to the app that was built: a coding agent makes it on a branch of its own,
 * then it is tested, deployed as a preview, checked in a browser and proposed as a merge request —
 * followed live in the build progress above. The server's refusals (no model, a build running)
 * are shown in its own words.
 */
export function ChangeRequest({
  blueprintId,
  building,
  onStarted,
}: {
  blueprintId: string;
  /** A build or change of this Blueprint is running: one at a time. */
  building: boolean;
  onStarted: (operationId: string) => void;
}) {
  const inputId = useId();
  const hintId = useId();
  const [draft, setDraft] = useState('');
  const change = useRequestChange(blueprintId);
  const text = draft.trim();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.length < 3 || building) return;
    change.mutate(text, {
      onSuccess: (accepted) => {
        setDraft('');
        onStarted(accepted.operationId);
      },
    });
  };

  return (
    <section aria-label="Request a change" className="rounded-lg border border-slate-200 bg-white shadow-xs">
      <header className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Request a change</h2>
      </header>
      <form onSubmit={submit} aria-label="Request a change to the app" className="space-y-2 p-4">
        <label htmlFor={inputId} className="sr-only">
          Change to make
        </label>
        <textarea
          id={inputId}
          rows={3}
          value={draft}
          maxLength={20_000}
          aria-describedby={hintId}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="e.g. add CSV export to the recipes page"
          className="block w-full resize-y rounded-md border border-slate-300 px-3 py-2 text-sm outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20"
        />
        <div className="flex items-center justify-between gap-3">
          <p id={hintId} className="text-xs text-slate-500">
            {building
              ? 'A build is running; request the change when it has finished.'
              : 'A coding agent makes it on a branch of its own; you get a verified preview and a merge request.'}
          </p>
          <Button type="submit" busy={change.isPending} disabled={building || text.length < 3}>
            Request change
          </Button>
        </div>
        <ErrorAlert error={change.error} />
      </form>
    </section>
  );
}
