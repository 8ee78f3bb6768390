import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { RequestBody } from '../../api/openapi-answer.ts';
import type { Project } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';
import { Link } from '../../app/router.tsx';
import { Alert, FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextAreaField, TextField } from '../../widgets/field.tsx';

type CreateProjectBody = RequestBody<'/api/projects', 'post'>;

export function CreateProjectForm() {
  const client = useQueryClient();
  const [created, setCreated] = useState<Project | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateProjectBody) => api.post<Project>('/api/projects', body),
    onSuccess: (project) => {
      setCreated(project);
      return client.invalidateQueries({ queryKey: keys.projects });
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const slug = String(form.get('slug') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    setCreated(null);
    create.mutate(
      {
        name: String(form.get('name') ?? '').trim(),
        ...(slug && { slug }),
        ...(description && { description }),
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New project">
      {created && (
        <Alert tone="success">
          Created{' '}
          <Link to={`/projects/${encodeURIComponent(created.slug)}`} className="font-medium underline">
            {created.name}
          </Link>
          .
        </Alert>
      )}
      <FormError error={create.error} />
      <TextField
        label="Name"
        name="name"
        required
        maxLength={100}
        error={errors.name}
        placeholder="Photo gallery"
      />
      <TextField
        label="Slug"
        name="slug"
        optional
        error={errors.slug}
        hint="The short name in URLs and git remotes; derived from the name when empty."
        placeholder="photo-gallery"
        autoCapitalize="off"
        spellCheck={false}
      />
      <TextAreaField
        label="Description"
        name="description"
        optional
        maxLength={2000}
        error={errors.description}
      />
      <Button type="submit" busy={create.isPending}>
        Create project
      </Button>
    </form>
  );
}
