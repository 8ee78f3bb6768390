import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { IssueClassification, SdlcKind } from '../../api/board-types.ts';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { compactControl } from '../../widgets/compact-control.ts';
import { useEventSource } from '../operations/live-events.ts';
import { KIND_LABELS, KINDS, PHASE_LABELS } from './board-labels.ts';
import { KindBadge } from './kind-badge.tsx';

/**
 * An issue's kind of work (new feature, change, bug fix, chore) as the classifier read it, why, and
 * the phases it would walk; developers may choose it themselves or ask for a new reading.
 */
export function IssueKind({ slug, number, canEdit }: { slug: string; number: number; canEdit: boolean }) {
  const url = `/api/projects/${seg(slug)}/issues/${number}/classification`;
  const client = useQueryClient();
  const selectId = useId();
  const [editing, setEditing] = useState(false);
  const current = useQuery({
    queryKey: keys.issueClassification(slug, number),
    queryFn: () => api.get<IssueClassification>(url),
  });
  // A model's reading arrives after the rules': its operation's stream says when.
  const [asking, setAsking] = useState<string | null>(null);
  useEventSource(asking ? `/api/operations/${seg(asking)}/events` : null, {
    onMessage(data) {
      if ((data as { type?: string }).type !== 'complete') return;
      setAsking(null);
      void client.invalidateQueries({ queryKey: keys.issueClassification(slug, number) });
    },
    isFinished: () => asking === null,
  });
  const save = (answer: IssueClassification) => {
    client.setQueryData(keys.issueClassification(slug, number), answer);
    setAsking(answer.operationId);
  };
  const choose = useMutation({
    mutationFn: (kind: SdlcKind) => api.put<IssueClassification>(url, { kind }),
    onSuccess: (answer) => {
      save(answer);
      setEditing(false);
    },
  });
  const again = useMutation({ mutationFn: () => api.post<IssueClassification>(url), onSuccess: save });
  const c = current.data?.classification;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    choose.mutate(String(new FormData(event.currentTarget).get('kind')) as SdlcKind);
  }

  return (
    <section aria-label="Kind of work" className="border-b border-slate-200 pb-4">
      <div className="mb-1.5 flex items-center justify-between">
        <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Kind of work</h2>
        {canEdit && !editing && (
          <Button
            variant="ghost"
            size="sm"
            className="-mr-2 h-6 px-2 text-xs"
            onClick={() => setEditing(true)}
            aria-label="Edit kind of work"
          >
            Edit
          </Button>
        )}
      </div>
      {current.isError ? (
        <ErrorAlert error={current.error} />
      ) : editing ? (
        <form onSubmit={submit} className="space-y-2">
          <label htmlFor={selectId} className="sr-only">
            Kind of work
          </label>
          <select
            id={selectId}
            name="kind"
            defaultValue={c?.kind ?? 'feature'}
            className={`${compactControl} w-full`}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
          <div className="flex gap-2">
            <Button type="submit" size="sm" busy={choose.isPending}>
              Save
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
          <ErrorAlert error={choose.error} />
        </form>
      ) : c ? (
        <div className="space-y-1.5" data-testid="issue-kind">
          <KindBadge kind={c.kind} classification={c} />
          <p className="text-xs text-slate-600">{c.reason}</p>
          <p className="text-xs text-slate-500">{c.phases.map((p) => PHASE_LABELS[p]).join(' → ')}</p>
        </div>
      ) : (
        <p className="text-slate-500">{current.isPending ? 'Loading…' : 'Not classified yet.'}</p>
      )}
      {canEdit && !editing && (
        <Button
          variant="ghost"
          size="sm"
          className="mt-1 -ml-2 h-6 px-2 text-xs"
          busy={again.isPending}
          onClick={() => again.mutate()}
        >
          Classify again
        </Button>
      )}
      <ErrorAlert error={again.error} />
    </section>
  );
}
