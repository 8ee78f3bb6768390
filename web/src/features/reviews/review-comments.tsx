import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import type { Comment } from '../../api/review-types.ts';
import { ErrorAlert, FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Markdown } from '../../widgets/markdown.tsx';
import { MarkdownField } from '../../widgets/markdown-field.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';

type Kind = 'issues' | 'merge-requests';

/** A timeline entry: who, when, and what (a comment body or a state change). */
export function TimelineItem({
  who,
  at,
  action,
  children,
}: {
  who: string | null;
  at: string;
  action: string;
  children?: ReactNode;
}) {
  const name = who ?? 'Orchard';
  return (
    <li className="relative flex gap-3">
      <span
        aria-hidden="true"
        className="grid size-8 shrink-0 place-items-center rounded-full bg-slate-200 text-xs font-semibold uppercase text-slate-700"
      >
        {name.slice(0, 2)}
      </span>
      <div
        className={`min-w-0 flex-1 ${children ? 'rounded-lg border border-slate-200 bg-white shadow-xs' : 'pt-1.5'}`}
      >
        <p
          className={`text-sm text-slate-600 ${children ? 'border-b border-slate-100 bg-slate-50 px-4 py-2' : ''}`}
        >
          <strong className="font-medium text-slate-900">{name}</strong> {action} <TimeAgo iso={at} />
        </p>
        {children && <div className="px-4 py-3">{children}</div>}
      </div>
    </li>
  );
}

export function useComments(slug: string, kind: Kind, number: number) {
  return useQuery({
    queryKey: keys.comments(slug, kind, number),
    queryFn: () => api.get<Page<Comment>>(`/api/projects/${seg(slug)}/${kind}/${number}/comments`),
    select: (page) => page.items,
  });
}

export const commentItems = (comments: Comment[]) =>
  comments.map((c) => ({
    at: c.createdAt,
    node: (
      <TimelineItem key={c.id} who={c.author} at={c.createdAt} action="commented">
        <Markdown text={c.body} />
      </TimelineItem>
    ),
  }));

/** The list of a timeline, or its loading/error state. */
/** Entries oldest first; `state` (loading, error) shows below what is already known. */
export function Timeline({
  items,
  state,
}: {
  items: Array<{ at: string; node: ReactNode }>;
  state?: ReactNode;
}) {
  const sorted = [...items].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <>
      <ol aria-label="Activity" className="space-y-4">
        {sorted.map((i) => i.node)}
      </ol>
      {state}
    </>
  );
}

export function commentsState(comments: ReturnType<typeof useComments>): ReactNode {
  if (comments.isPending) return <Loading label="Loading comments…" />;
  if (comments.isError) return <ErrorAlert error={comments.error} />;
  return undefined;
}

export function CommentForm({ slug, kind, number }: { slug: string; kind: Kind; number: number }) {
  const client = useQueryClient();
  const add = useMutation({
    mutationFn: (body: string) =>
      api.post<Comment>(`/api/projects/${seg(slug)}/${kind}/${number}/comments`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.comments(slug, kind, number) }),
  });
  const errors = add.error instanceof ApiError ? add.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const body = String(new FormData(formElement).get('body') ?? '').trim();
    add.mutate(body, { onSuccess: () => formElement.reset() });
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Add a comment"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs"
    >
      <FormError error={add.error} />
      <MarkdownField
        label="Add a comment"
        name="body"
        required
        rows={3}
        maxLength={65_536}
        error={errors.body}
      />
      <div className="flex justify-end">
        <Button type="submit" busy={add.isPending}>
          Comment
        </Button>
      </div>
    </form>
  );
}
