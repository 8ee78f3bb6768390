import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { MergeRequest } from '../../api/review-types.ts';
import { navigate } from '../../app/router.tsx';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { MarkdownField } from '../../widgets/markdown-field.tsx';
import { to } from '../projects/project-paths.ts';

/** Opens a merge request from `source` into `target` and goes to it. */
export function MrCreateForm({
  slug,
  source,
  target,
  suggestedTitle,
}: {
  slug: string;
  source: string;
  target: string;
  suggestedTitle: string;
}) {
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { title: string; description?: string; sourceBranch: string; targetBranch: string }) =>
      api.post<MergeRequest>(`/api/projects/${seg(slug)}/merge-requests`, body),
    onSuccess: (mr) => {
      void client.invalidateQueries({ queryKey: keys.mergeRequests(slug) });
      navigate(to.mergeRequest(slug, mr.number));
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = String(form.get('description') ?? '').trim();
    create.mutate({
      title: String(form.get('title') ?? '').trim(),
      ...(description && { description }),
      sourceBranch: source,
      targetBranch: target,
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New merge request">
      <FormError error={create.error} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={255}
        defaultValue={suggestedTitle}
        error={errors.title}
      />
      <MarkdownField
        label="Description"
        name="description"
        optional
        rows={4}
        maxLength={65_536}
        error={errors.description}
        placeholder="What changes, and why"
      />
      {(errors.sourceBranch || errors.targetBranch) && (
        <p className="text-xs font-medium text-red-700">{errors.sourceBranch ?? errors.targetBranch}</p>
      )}
      <Button type="submit" busy={create.isPending}>
        Create merge request
      </Button>
    </form>
  );
}
