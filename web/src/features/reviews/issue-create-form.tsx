import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { Issue } from '../../api/review-types.ts';
import { navigate } from '../../app/router.tsx';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { MarkdownField } from '../../widgets/markdown-field.tsx';
import { to } from '../projects/project-paths.ts';

/** "a, b,c " → ["a", "b", "c"] (labels cannot contain commas, so commas separate them). */
export const parseLabels = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
  ),
];

export function IssueCreateForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { title: string; body?: string; labels?: string[]; assignee?: string }) =>
      api.post<Issue>(`/api/projects/${seg(slug)}/issues`, body),
    onSuccess: (issue) => {
      void client.invalidateQueries({ queryKey: keys.issues(slug) });
      navigate(to.issue(slug, issue.number));
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const labelError = Object.entries(errors).find(([k]) => k.startsWith('labels'))?.[1];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = String(form.get('body') ?? '').trim();
    const labels = parseLabels(String(form.get('labels') ?? ''));
    const assignee = String(form.get('assignee') ?? '').trim();
    create.mutate({
      title: String(form.get('title') ?? '').trim(),
      ...(body && { body }),
      ...(labels.length > 0 && { labels }),
      ...(assignee && { assignee }),
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New issue">
      <FormError error={create.error} />
      <TextField label="Title" name="title" required maxLength={255} error={errors.title} />
      <MarkdownField
        label="Description"
        name="body"
        optional
        rows={4}
        maxLength={65_536}
        error={errors.body}
      />
      <TextField
        label="Labels"
        name="labels"
        optional
        placeholder="bug, ui"
        hint="Separate labels with commas."
        error={labelError}
      />
      <TextField
        label="Assignee"
        name="assignee"
        optional
        placeholder="username"
        autoComplete="off"
        error={errors.assignee}
      />
      <Button type="submit" busy={create.isPending}>
        Create issue
      </Button>
    </form>
  );
}
