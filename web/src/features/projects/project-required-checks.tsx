import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Project } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';
import type { BranchProtection } from '../../api/review-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextField } from '../../widgets/field.tsx';

/** The protected branch whose rule this edits (the only one Orchard protects). */
const BRANCH = 'main';

/** "pipeline, browser-verification" → the names, without blanks. */
const namesOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((n) => n.trim())
    .filter(Boolean);

interface Draft {
  checks?: string;
  approvals?: string;
  dismissStale?: boolean;
}

/**
 * What a merge into main needs: checks (e.g. `pipeline`, `browser-verification`) and approvals
 * from reviewers other than the author. Maintainers edit the rule, everyone sees it. A merge that
 * does not meet it is refused with what is missing.
 */
export function ProjectRequiredChecks({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const client = useQueryClient();
  const key = keys.branchProtection(project.slug, BRANCH);
  const url = `/api/projects/${seg(project.slug)}/branches/${seg(BRANCH)}/protection`;
  const rule = useQuery({ queryKey: key, queryFn: () => api.get<BranchProtection>(url) });
  const [draft, setDraft] = useState<Draft>({});
  const save = useMutation({
    mutationFn: (body: {
      requiredChecks: string[];
      requiredApprovals: number;
      dismissStaleApprovals: boolean;
    }) => api.put<BranchProtection>(url, body),
    onSuccess: (saved) => {
      client.setQueryData(key, saved);
      setDraft({});
      // Open merge requests into main show what blocks them.
      return client.invalidateQueries({ queryKey: keys.mergeRequests(project.slug) });
    },
  });
  const checks = draft.checks ?? rule.data?.requiredChecks.join(', ') ?? '';
  const approvals = draft.approvals ?? String(rule.data?.requiredApprovals ?? 0);
  const dismissStale = draft.dismissStale ?? rule.data?.dismissStaleApprovals ?? true;
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const fieldError = (name: string) => Object.entries(errors).find(([k]) => k.startsWith(name))?.[1];
  const changed = Object.keys(draft).length > 0;
  const disabled = !canEdit || rule.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({
      requiredChecks: namesOf(checks),
      requiredApprovals: Number(approvals),
      dismissStaleApprovals: dismissStale,
    });
  }

  return (
    <form
      onSubmit={submit}
      aria-label={`Checks ${BRANCH} requires`}
      className="mt-4 space-y-2 border-t border-slate-100 pt-4"
    >
      <TextField
        label={`Checks a merge into ${BRANCH} needs`}
        name="requiredChecks"
        value={checks}
        onChange={(e) => setDraft({ ...draft, checks: e.currentTarget.value })}
        disabled={disabled}
        placeholder="pipeline, browser-verification"
        hint="Comma-separated check names. A merge whose head commit has not passed each one is refused; empty: none."
        error={fieldError('requiredChecks')}
      />
      <TextField
        label={`Approvals a merge into ${BRANCH} needs`}
        name="requiredApprovals"
        type="number"
        min={0}
        max={10}
        value={approvals}
        onChange={(e) => setDraft({ ...draft, approvals: e.currentTarget.value })}
        disabled={disabled}
        hint="From developers other than the author, 0 to 10. Changes requested by a reviewer always block until they approve or withdraw."
        error={fieldError('requiredApprovals')}
        className="max-w-24"
      />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="dismissStaleApprovals"
          checked={dismissStale}
          onChange={(e) => setDraft({ ...draft, dismissStale: e.currentTarget.checked })}
          disabled={disabled}
        />
        A new push makes earlier approvals stale
      </label>
      <ErrorAlert error={rule.error} />
      {save.error && !fieldError('requiredChecks') && !fieldError('requiredApprovals') && (
        <ErrorAlert error={save.error} />
      )}
      {canEdit && (
        <Button type="submit" variant="secondary" size="sm" busy={save.isPending} disabled={!changed}>
          Save merge rule
        </Button>
      )}
    </form>
  );
}
