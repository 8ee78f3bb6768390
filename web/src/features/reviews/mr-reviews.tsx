import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { MergeRequest, Review } from '../../api/review-types.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { Markdown } from '../../widgets/markdown.tsx';
import { MarkdownField } from '../../widgets/markdown-field.tsx';
import { shortSha } from '../projects/project-paths.ts';
import { TimelineItem } from './review-comments.tsx';

type State = Review['state'];

const ACTION: Record<State, string> = {
  approve: 'approved these changes',
  request_changes: 'requested changes',
  comment: 'reviewed',
};

/** What a review says beside who and when: on which commit, and whether it still counts. */
function ReviewMarks({ review, headSha }: { review: Review; headSha: string }) {
  return (
    <span className="ml-1 inline-flex flex-wrap items-center gap-1 align-middle">
      {review.sha !== headSha && (
        <span className="font-mono text-xs text-slate-500">on {shortSha(review.sha)}</span>
      )}
      {review.stale && <Badge tone="amber">stale</Badge>}
      {review.withdrawnAt && <Badge>withdrawn</Badge>}
    </span>
  );
}

/** The reviews as timeline entries ("bob approved these changes", "alice requested changes"). */
export const reviewItems = (reviews: Review[], headSha: string) =>
  reviews.map((r) => ({
    at: r.createdAt,
    node: (
      <TimelineItem key={r.id} who={r.reviewer} at={r.createdAt} action={ACTION[r.state]}>
        <p className="mb-2 text-xs text-slate-500" data-review-state={r.state}>
          {r.state === 'approve'
            ? 'Approval'
            : r.state === 'request_changes'
              ? 'Changes requested'
              : 'Review'}
          <ReviewMarks review={r} headSha={headSha} />
          {r.stale && <span className="sr-only">: given before the latest push, so it no longer counts</span>}
        </p>
        {r.body ? <Markdown text={r.body} /> : <p className="text-sm text-slate-500 italic">No comment.</p>}
      </TimelineItem>
    ),
  }));

/** Each reviewer's verdict now (their latest approval or request for changes), for the sidebar. */
export function MrReviewers({ reviews, headSha }: { reviews: Review[]; headSha: string }) {
  const verdicts = reviews.filter((r) => r.current);
  if (!verdicts.length) return <p className="text-slate-500">No approvals yet.</p>;
  return (
    <ul aria-label="Reviewers" className="space-y-1">
      {verdicts.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center gap-1.5">
          <span className="font-medium text-slate-800">{r.reviewer ?? 'someone'}</span>
          {r.state === 'approve' ? (
            <Badge tone={r.stale ? 'amber' : 'green'}>{r.stale ? 'approved (stale)' : 'approved'}</Badge>
          ) : (
            <Badge tone="red">changes requested</Badge>
          )}
          {r.sha !== headSha && !r.stale && (
            <span className="font-mono text-xs text-slate-500">on {shortSha(r.sha)}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Approve, request changes or comment on the head commit, for developers other than the author;
 * a reviewer with a verdict standing may withdraw it. The page's query refreshes the blockers.
 */
export function MrReviewForm({ slug, mr, me }: { slug: string; mr: MergeRequest; me: string }) {
  const client = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const url = `/api/projects/${seg(slug)}/merge-requests/${mr.number}/reviews`;
  const refresh = () => client.invalidateQueries({ queryKey: keys.mergeRequest(slug, mr.number) });
  const review = useMutation({
    mutationFn: (input: { state: State; body: string }) =>
      api.post<Review>(url, { ...input, sha: mr.headSha }),
    onSuccess: () => {
      form.current?.reset();
      return refresh();
    },
    // A 409 may mean new commits arrived: show them.
    onError: refresh,
  });
  const withdraw = useMutation({ mutationFn: () => api.delete<void>(`${url}/mine`), onSuccess: refresh });
  const mine = mr.reviews?.find((r) => r.current && r.reviewer === me);
  const errors = review.error instanceof ApiError ? review.error.fieldErrors() : {};
  const busy = review.isPending ? review.variables?.state : undefined;

  function submit(state: State) {
    return (event: { preventDefault(): void }) => {
      event.preventDefault();
      const body = String(new FormData(form.current!).get('body') ?? '').trim();
      review.mutate({ state, body });
    };
  }

  return (
    <form
      ref={form}
      onSubmit={submit('comment')}
      aria-label="Review this merge request"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs"
    >
      <FormError error={review.error} />
      <FormError error={withdraw.error} />
      <MarkdownField
        label="Review comment"
        name="body"
        rows={3}
        maxLength={65_536}
        error={errors.body}
        hint={`On ${shortSha(mr.headSha)}, the head of ${mr.sourceBranch}. Say what to change when requesting changes; an approval needs no text.`}
      />
      <div className="flex flex-wrap items-center justify-end gap-2">
        {mine && (
          <Button
            variant="ghost"
            busy={withdraw.isPending}
            onClick={() => withdraw.mutate()}
            className="mr-auto"
          >
            {mine.state === 'approve' ? 'Withdraw my approval' : 'Withdraw my request for changes'}
          </Button>
        )}
        <Button type="submit" variant="secondary" busy={busy === 'comment'}>
          Comment
        </Button>
        <Button variant="secondary" busy={busy === 'request_changes'} onClick={submit('request_changes')}>
          Request changes
        </Button>
        <Button busy={busy === 'approve'} onClick={submit('approve')}>
          Approve
        </Button>
      </div>
    </form>
  );
}
