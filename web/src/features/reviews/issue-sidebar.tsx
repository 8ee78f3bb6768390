import type { UseMutationResult } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { Issue } from '../../api/review-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { AssignIssueAgent } from '../agents/assign-issue-agent.tsx';
import { IssueKind } from '../board/issue-kind.tsx';
import { parseLabels } from './issue-create-form.tsx';

export type IssuePatch = Partial<Pick<Issue, 'title' | 'body' | 'labels' | 'assignee' | 'state'>>;
type Update = UseMutationResult<Issue, Error, IssuePatch>;

/** Assignee and labels, each editable in place by developers; the issue's agent sessions. */
export function IssueSidebar({
  slug,
  issue,
  update,
  canEdit,
}: {
  slug: string;
  issue: Issue;
  update: Update;
  canEdit: boolean;
}) {
  return (
    <aside aria-label="Issue details" className="space-y-5 text-sm">
      <IssueKind slug={slug} number={issue.number} canEdit={canEdit} />
      <Field
        title="Assignee"
        canEdit={canEdit}
        update={update}
        field="assignee"
        initial={issue.assignee ?? ''}
        toPatch={(text) => ({ assignee: text.trim() || null })}
        view={
          issue.assignee ? (
            <span className="font-medium text-slate-800">{issue.assignee}</span>
          ) : (
            <span className="text-slate-500">No one</span>
          )
        }
        hint="A username; empty unassigns."
      />
      <Field
        title="Labels"
        canEdit={canEdit}
        update={update}
        field="labels"
        initial={issue.labels.join(', ')}
        toPatch={(text) => ({ labels: parseLabels(text) })}
        view={
          issue.labels.length ? (
            <span className="flex flex-wrap gap-1">
              {issue.labels.map((l) => (
                <Badge key={l} tone="blue">
                  {l}
                </Badge>
              ))}
            </span>
          ) : (
            <span className="text-slate-500">None</span>
          )
        }
        hint="Separate labels with commas."
      />
      <AssignIssueAgent slug={slug} number={issue.number} canAssign={canEdit && issue.state === 'open'} />
    </aside>
  );
}

function Field({
  title,
  canEdit,
  update,
  field,
  initial,
  toPatch,
  view,
  hint,
}: {
  title: string;
  canEdit: boolean;
  update: Update;
  field: string;
  initial: string;
  toPatch: (text: string) => IssuePatch;
  view: ReactNode;
  hint: string;
}) {
  const [editing, setEditing] = useState(false);
  const mine = update.variables && field in update.variables;
  const error =
    mine && update.error instanceof ApiError
      ? (Object.entries(update.error.fieldErrors()).find(([k]) => k.startsWith(field))?.[1] ??
        update.error.detail)
      : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get(field) ?? '');
    update.mutate(toPatch(text), { onSuccess: () => setEditing(false) });
  }

  return (
    <section aria-label={title} className="border-b border-slate-200 pb-4">
      <div className="mb-1.5 flex items-center justify-between">
        <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h2>
        {canEdit && !editing && (
          <Button
            variant="ghost"
            size="sm"
            className="-mr-2 h-6 px-2 text-xs"
            onClick={() => setEditing(true)}
            aria-label={`Edit ${title.toLowerCase()}`}
          >
            Edit
          </Button>
        )}
      </div>
      {editing ? (
        <form onSubmit={submit} className="space-y-2" aria-label={`Edit ${title.toLowerCase()}`}>
          <TextField
            label={title}
            name={field}
            defaultValue={initial}
            hint={hint}
            error={error}
            autoComplete="off"
            autoFocus
          />
          <div className="flex gap-2">
            <Button type="submit" size="sm" busy={update.isPending && mine}>
              Save
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        view
      )}
    </section>
  );
}
