import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { CommitDetail } from '../api/repo-types.ts';
import type { MergeRequest } from '../api/review-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { MadeByAgentSession } from '../features/agents/agent-session-link.tsx';
import { isActive } from '../features/pipelines/pipeline-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { shortSha, to } from '../features/projects/project-paths.ts';
import { RepoCommitList } from '../features/repo/repo-commit-list.tsx';
import { RepoDiff } from '../features/repo/repo-diff.tsx';
import { useComparison } from '../features/repo/repo-queries.ts';
import { BranchLink, MrOverview } from '../features/reviews/mr-overview.tsx';
import { MrStateBadge } from '../features/reviews/mr-state.tsx';
import { MrViewApp } from '../features/reviews/mr-view-app.tsx';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

type Tab = 'overview' | 'commits' | 'changes';

/** `/projects/:slug/merge-requests/:number?tab=`. */
export function MergeRequestPage({ params }: PageProps) {
  const number = Number(params.number);
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="merge-requests">
      {(project) => <MergeRequestBody project={project} number={number} />}
    </ProjectFrame>
  );
}

function MergeRequestBody({ project, number }: { project: Project; number: number }) {
  const slug = project.slug;
  const { search } = useLocation();
  const tab = (
    ['commits', 'changes'].includes(search.get('tab') ?? '') ? search.get('tab') : 'overview'
  ) as Tab;
  const mr = useQuery({
    queryKey: keys.mergeRequest(slug, number),
    queryFn: () => api.get<MergeRequest>(`/api/projects/${seg(slug)}/merge-requests/${number}`),
    // While open, checks and mergeability move with pushes and pipelines: keep them fresh.
    refetchInterval: (query) => {
      const data = query.state.data;
      if (data?.state !== 'open') return false;
      return data.checks.length === 0 || data.checks.some((c) => isActive(c.status)) ? 2000 : 10_000;
    },
  });
  const range = useMrRange(slug, mr.data);
  const compare = useComparison(slug, range?.base ?? '', range?.head ?? '', range !== undefined);

  if (mr.isPending) return <Loading label="Loading merge request…" />;
  if (mr.isError)
    return (
      <>
        <PageHeader title={`Merge request !${number}`} />
        <ErrorAlert error={mr.error} />
      </>
    );
  const m = mr.data;
  const base = `${to.mergeRequest(slug, number)}`;
  const commitCount = compare.data?.commits.length;

  return (
    <>
      <PageHeader
        title={m.title}
        documentTitle={`!${m.number} ${m.title}`}
        meta={
          <>
            <MrStateBadge state={m.state} />
            <span>
              !{m.number} · <strong className="font-medium text-slate-700">{m.author ?? 'Orchard'}</strong>{' '}
              {m.state === 'merged' ? 'merged' : 'wants to merge'}{' '}
              <BranchLink slug={slug} name={m.sourceBranch} /> into{' '}
              <BranchLink slug={slug} name={m.targetBranch} />
            </span>
            <MadeByAgentSession slug={slug} description={m.description} />
          </>
        }
        actions={<MrViewApp slug={slug} mr={m} />}
      />
      <nav aria-label="Merge request sections" className="mb-6 flex gap-1 border-b border-slate-200">
        {(
          [
            ['overview', 'Overview', ''],
            ['commits', `Commits${commitCount !== undefined ? ` (${commitCount})` : ''}`, '?tab=commits'],
            [
              'changes',
              `Changes${compare.data ? ` (${compare.data.diff.files.length})` : ''}`,
              '?tab=changes',
            ],
          ] as const
        ).map(([id, label, q]) => (
          <button
            key={id}
            type="button"
            aria-current={tab === id ? 'page' : undefined}
            onClick={() => navigate(`${base}${q}`, { replace: true })}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              tab === id
                ? 'border-emerald-600 text-emerald-800'
                : 'border-transparent text-slate-600 hover:text-slate-900'
            }`}
          >
            {label}
          </button>
        ))}
      </nav>
      {tab === 'overview' ? (
        <MrOverview project={project} mr={m} />
      ) : range === undefined ? (
        <MergedNote slug={slug} mr={m} />
      ) : compare.isPending ? (
        <Loading label="Comparing branches…" />
      ) : compare.isError ? (
        <ErrorAlert error={compare.error} />
      ) : tab === 'commits' ? (
        <Card flush title="Commits">
          {compare.data.commits.length ? (
            <RepoCommitList slug={slug} commits={compare.data.commits} label="Merge request commits" />
          ) : (
            <p className="px-5 py-6 text-sm text-slate-500">No commits to merge.</p>
          )}
        </Card>
      ) : (
        <RepoDiff slug={slug} diff={compare.data.diff} viewRef={compare.data.head} />
      )}
    </>
  );
}

/**
 * What to diff: the branches while open or closed; after a merge commit, its two parents (the
 * target as it was, and the merged head). A fast-forward leaves no record of the old target.
 */
function useMrRange(slug: string, mr: MergeRequest | undefined) {
  const mergeSha = mr?.state === 'merged' ? mr.mergeCommitSha : null;
  const mergeCommit = useQuery({
    queryKey: keys.commit(slug, mergeSha ?? ''),
    queryFn: () => api.get<CommitDetail>(`/api/projects/${seg(slug)}/commits/${seg(mergeSha!)}`),
    enabled: mergeSha !== null,
    staleTime: Infinity,
  });
  if (!mr) return undefined;
  if (mr.state !== 'merged') return { base: mr.targetBranch, head: mr.sourceBranch };
  const parents = mergeCommit.data?.parents;
  if (parents?.length === 2) return { base: parents[0]!, head: parents[1]! };
  return undefined;
}

function MergedNote({ slug, mr }: { slug: string; mr: MergeRequest }) {
  return (
    <Alert>
      This merge request was {mr.state === 'merged' ? 'merged by fast-forward' : mr.state}; its commits are
      now part of{' '}
      <Link to={to.commits(slug, mr.targetBranch)} className="font-medium underline">
        {mr.targetBranch}
      </Link>
      {mr.mergeCommitSha && (
        <>
          {' '}
          up to{' '}
          <Link to={to.commit(slug, mr.mergeCommitSha)} className="font-mono underline">
            {shortSha(mr.mergeCommitSha)}
          </Link>
        </>
      )}
      .
    </Alert>
  );
}
