import { type UseMutationResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, seg } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { Issue } from '../api/review-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { roleAtLeast } from '../features/projects/roles.ts';
import { type IssuePatch, IssueSidebar } from '../features/reviews/issue-sidebar.tsx';
import {
  CommentForm,
  commentItems,
  commentsState,
  Timeline,
  TimelineItem,
  useComments,
} from '../features/reviews/review-comments.tsx';
import { ErrorAlert, FormError } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Button } from '../widgets/button.tsx';
import { TextField } from '../widgets/field.tsx';
import { Markdown } from '../widgets/markdown.tsx';
import { MarkdownField } from '../widgets/markdown-field.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/** `/projects/:slug/issues/:number`. */
export function IssuePage({ params }: PageProps) {
  const number = Number(params.number);
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="issues">
      {(project) => <IssueBody project={project} number={number} />}
    </ProjectFrame>
  );
}

function IssueBody({ project, number }: { project: Project; number: number }) {
  const slug = project.slug;
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const issue = useQuery({
    queryKey: keys.issue(slug, number),
    queryFn: () => api.get<Issue>(`/api/projects/${seg(slug)}/issues/${number}`),
  });
  const comments = useComments(slug, 'issues', number);
  const update = useMutation({
    mutationFn: (patch: IssuePatch) => api.patch<Issue>(`/api/projects/${seg(slug)}/issues/${number}`, patch),
    onSuccess: (updated) => {
      client.setQueryData(keys.issue(slug, number), updated);
      void client.invalidateQueries({ queryKey: keys.issues(slug), exact: false, refetchType: 'none' });
    },
  });
  const canEdit = roleAtLeast(project.role, 'developer') && !project.archived;

  if (issue.isPending) return <Loading label="Loading issue…" />;
  if (issue.isError)
    return (
      <>
        <PageHeader title={`Issue #${number}`} />
        <ErrorAlert error={issue.error} />
      </>
    );
  const i = issue.data;
  const stateChange = update.variables && 'state' in update.variables;
  const timeline = [
    {
      at: i.createdAt,
      node: (
        <TimelineItem key="opened" who={i.author} at={i.createdAt} action="opened this issue">
          {i.body ? (
            <Markdown text={i.body} />
          ) : (
            <p className="text-sm text-slate-500 italic">No description.</p>
          )}
        </TimelineItem>
      ),
    },
    ...commentItems(comments.data ?? []),
    ...(i.state === 'closed' && i.closedAt
      ? [
          {
            at: i.closedAt,
            node: <TimelineItem key="closed" who={null} at={i.closedAt} action="— the issue was closed" />,
          },
        ]
      : []),
  ];

  return (
    <>
      {editing ? (
        <EditIssueForm issue={i} update={update} onDone={() => setEditing(false)} />
      ) : (
        <PageHeader
          title={i.title}
          documentTitle={`#${i.number} ${i.title}`}
          meta={
            <>
              <Badge tone={i.state === 'open' ? 'green' : 'neutral'}>{i.state}</Badge>
              <span>
                #{i.number} opened by{' '}
                <strong className="font-medium text-slate-700">{i.author ?? 'Orchard'}</strong>{' '}
                <TimeAgo iso={i.createdAt} />
              </span>
            </>
          }
          actions={
            canEdit && (
              <>
                <Button variant="secondary" onClick={() => setEditing(true)}>
                  Edit
                </Button>
                <Button
                  variant="secondary"
                  busy={update.isPending && stateChange}
                  onClick={() => update.mutate({ state: i.state === 'open' ? 'closed' : 'open' })}
                >
                  {i.state === 'open' ? 'Close issue' : 'Reopen issue'}
                </Button>
              </>
            )
          }
        />
      )}
      {stateChange && update.isError && (
        <div className="mb-4">
          <ErrorAlert error={update.error} />
        </div>
      )}
      <div className="grid grid-cols-1 items-start gap-8 lg:grid-cols-4">
        <div className="space-y-4 lg:col-span-3">
          <Timeline items={timeline} state={commentsState(comments)} />
          {canEdit && <CommentForm slug={slug} kind="issues" number={number} />}
        </div>
        <IssueSidebar slug={slug} issue={i} update={update} canEdit={canEdit} />
      </div>
    </>
  );
}

function EditIssueForm({
  issue,
  update,
  onDone,
}: {
  issue: Issue;
  update: UseMutationResult<Issue, Error, IssuePatch>;
  onDone: () => void;
}) {
  const errors = update.error instanceof ApiError ? update.error.fieldErrors() : {};
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate(
      { title: String(form.get('title') ?? '').trim(), body: String(form.get('body') ?? '') },
      { onSuccess: onDone },
    );
  }
  return (
    <form
      onSubmit={submit}
      aria-label="Edit issue"
      className="mb-6 space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-xs"
    >
      <FormError error={update.error} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={255}
        defaultValue={issue.title}
        error={errors.title}
      />
      <MarkdownField
        label="Description"
        name="body"
        rows={6}
        maxLength={65_536}
        defaultValue={issue.body}
        error={errors.body}
      />
      <div className="flex gap-2">
        <Button type="submit" busy={update.isPending}>
          Save
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
