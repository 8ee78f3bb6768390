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

/**
 * The checks a merge into main needs (e.g. `pipeline`, `browser-verification`): maintainers edit
 * the list, everyone sees it. A merge whose head lacks a passing one is refused.
 */
export function ProjectRequiredChecks({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const client = useQueryClient();
  const key = keys.branchProtection(project.slug, BRANCH);
  const url = `/api/projects/${seg(project.slug)}/branches/${seg(BRANCH)}/protection`;
  const rule = useQuery({ queryKey: key, queryFn: () => api.get<BranchProtection>(url) });
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const save = useMutation({
    mutationFn: (requiredChecks: string[]) => api.put<BranchProtection>(url, { requiredChecks }),
    onSuccess: (saved) => {
      client.setQueryData(key, saved);
      setDraft(undefined);
      // Open merge requests into main show what blocks them.
      return client.invalidateQueries({ queryKey: keys.mergeRequests(project.slug) });
    },
  });
  const current = rule.data?.requiredChecks.join(', ') ?? '';
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const fieldError = Object.entries(errors).find(([k]) => k.startsWith('requiredChecks'))?.[1];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(namesOf(draft ?? current));
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
        value={draft ?? current}
        onChange={(e) => setDraft(e.currentTarget.value)}
        disabled={!canEdit || rule.isPending}
        placeholder="pipeline, browser-verification"
        hint="Comma-separated check names. A merge whose head commit has not passed each one is refused; empty: none."
        error={fieldError}
      />
      <ErrorAlert error={rule.error} />
      {save.error && !fieldError && <ErrorAlert error={save.error} />}
      {canEdit && (
        <Button
          type="submit"
          variant="secondary"
          size="sm"
          busy={save.isPending}
          disabled={draft === undefined}
        >
          Save required checks
        </Button>
      )}
    </form>
  );
}
