import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Project } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { TextAreaField, TextField } from '../../widgets/field.tsx';
import { ProjectRequiredChecks } from './project-required-checks.tsx';
import { ProjectReviewFirst } from './project-review-first.tsx';

/**
 * Name, description, whether builds are reviewed before main and the checks a merge into main
 * needs, editable by maintainers.
 */
export function ProjectAbout({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title="About"
      actions={
        canEdit &&
        !editing && (
          <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
            Edit details
          </Button>
        )
      }
    >
      {editing ? (
        <EditProjectForm project={project} onDone={() => setEditing(false)} />
      ) : project.description ? (
        <p className="whitespace-pre-line text-sm text-slate-700">{project.description}</p>
      ) : (
        <p className="text-sm text-slate-500 italic">No description yet.</p>
      )}
      <ProjectReviewFirst project={project} canEdit={canEdit} />
      <ProjectRequiredChecks project={project} canEdit={canEdit} />
    </Card>
  );
}

function EditProjectForm({ project, onDone }: { project: Project; onDone: () => void }) {
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: (body: { name: string; description: string }) =>
      api.patch<Project>(`/api/projects/${seg(project.slug)}`, body),
    onSuccess: (updated) => {
      client.setQueryData(keys.project(project.slug), updated);
      onDone();
      return client.invalidateQueries({ queryKey: keys.projects });
    },
  });
  const errors = update.error instanceof ApiError ? update.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate({
      name: String(form.get('name') ?? '').trim(),
      description: String(form.get('description') ?? '').trim(),
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Edit project details">
      <FormError error={update.error} />
      <TextField
        label="Name"
        name="name"
        defaultValue={project.name}
        required
        maxLength={100}
        error={errors.name}
      />
      <TextAreaField
        label="Description"
        name="description"
        defaultValue={project.description}
        maxLength={2000}
        error={errors.description}
      />
      <div className="flex gap-2">
        <Button type="submit" busy={update.isPending}>
          Save details
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
