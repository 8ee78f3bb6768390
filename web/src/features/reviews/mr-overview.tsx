import type { ReactNode } from 'react';
import type { Project } from '../../api/project-types.ts';
import type { MergeRequest } from '../../api/review-types.ts';
import { Link } from '../../app/router.tsx';
import { useUser } from '../../app/session.ts';
import { Alert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { Markdown } from '../../widgets/markdown.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { shortSha, to } from '../projects/project-paths.ts';
import { roleAtLeast } from '../projects/roles.ts';
import { MrChecks } from './mr-checks.tsx';
import { MrMergeBox } from './mr-merge-box.tsx';
import { MrReviewers, MrReviewForm, reviewItems } from './mr-reviews.tsx';
import {
  CommentForm,
  commentItems,
  commentsState,
  Timeline,
  TimelineItem,
  useComments,
} from './review-comments.tsx';

export function BranchLink({ slug, name }: { slug: string; name: string }) {
  return (
    <Link
      to={to.code(slug, name)}
      className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 hover:text-emerald-800"
    >
      {name}
    </Link>
  );
}

/**
 * Checks, the merge box and the review form while open, the conversation (comments and reviews),
 * and the branches and reviewers at a glance.
 */
export function MrOverview({ project, mr }: { project: Project; mr: MergeRequest }) {
  const slug = project.slug;
  const me = useUser().username;
  const comments = useComments(slug, 'merge-requests', mr.number);
  const canWrite = roleAtLeast(project.role, 'developer') && !project.archived;
  // The author answers reviews with comments; another developer approves.
  const canReview = canWrite && mr.state === 'open' && mr.author !== me;
  const reviews = mr.reviews ?? [];
  const items = [
    {
      at: mr.createdAt,
      node: (
        <TimelineItem key="opened" who={mr.author} at={mr.createdAt} action="opened this merge request">
          {mr.description ? (
            <Markdown text={mr.description} />
          ) : (
            <p className="text-sm text-slate-500 italic">No description.</p>
          )}
        </TimelineItem>
      ),
    },
    ...commentItems(comments.data ?? []),
    ...reviewItems(reviews, mr.headSha),
    ...(mr.mergedAt
      ? [
          {
            at: mr.mergedAt,
            node: (
              <TimelineItem
                key="merged"
                who={mr.mergedBy}
                at={mr.mergedAt}
                action={`merged ${mr.sourceBranch} into ${mr.targetBranch}`}
              />
            ),
          },
        ]
      : []),
    ...(mr.state === 'closed' && mr.closedAt
      ? [
          {
            at: mr.closedAt,
            node: <TimelineItem key="closed" who={null} at={mr.closedAt} action="— closed without merging" />,
          },
        ]
      : []),
  ];
  return (
    <div className="grid grid-cols-1 items-start gap-8 lg:grid-cols-4">
      <div className="space-y-6 lg:col-span-3">
        <Card title="Checks" description={`On ${shortSha(mr.headSha)}, the head of ${mr.sourceBranch}`} flush>
          <MrChecks slug={slug} sha={mr.headSha} checks={mr.checks} />
        </Card>
        {mr.state === 'open' && <MrMergeBox slug={slug} mr={mr} canMerge={canWrite} />}
        {canReview && <MrReviewForm slug={slug} mr={mr} me={me} />}
        {mr.state === 'merged' && (
          <Alert tone="success" title="Merged">
            {mr.mergedBy ?? 'Orchard'} merged this {mr.mergedAt && <TimeAgo iso={mr.mergedAt} />}
            {mr.mergeCommitSha && (
              <>
                {' '}
                as{' '}
                <Link to={to.commit(slug, mr.mergeCommitSha)} className="font-mono underline">
                  {shortSha(mr.mergeCommitSha)}
                </Link>
              </>
            )}
            .
          </Alert>
        )}
        <Timeline items={items} state={commentsState(comments)} />
        {canWrite && <CommentForm slug={slug} kind="merge-requests" number={mr.number} />}
      </div>
      <aside aria-label="Merge request details" className="space-y-4 text-sm">
        <Detail title="Source">
          <BranchLink slug={slug} name={mr.sourceBranch} />
        </Detail>
        <Detail title="Target">
          <BranchLink slug={slug} name={mr.targetBranch} />
        </Detail>
        <Detail title="Reviewers">
          <MrReviewers reviews={reviews} headSha={mr.headSha} />
        </Detail>
        <Detail title="Head commit">
          <Link
            to={to.commit(slug, mr.headSha)}
            className="font-mono text-xs text-emerald-800 hover:underline"
          >
            {shortSha(mr.headSha)}
          </Link>
        </Detail>
        <Detail title="Pipelines">
          <Link to={to.pipelines(slug)} className="text-emerald-800 hover:underline">
            All pipelines
          </Link>
        </Detail>
      </aside>
    </div>
  );
}

function Detail({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-b border-slate-200 pb-3">
      <h2 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h2>
      {children}
    </section>
  );
}
