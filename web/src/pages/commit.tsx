import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { CommitDetail } from '../api/repo-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { shortSha, to } from '../features/projects/project-paths.ts';
import { RepoDiff } from '../features/repo/repo-diff.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { buttonClass } from '../widgets/button.tsx';
import { CopyButton } from '../widgets/copy-button.tsx';
import { formatDateTime } from '../widgets/format.ts';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/** `/projects/:slug/commits/:sha`: one commit, its message and its diff against the first parent. */
export function CommitPage({ params }: PageProps) {
  const sha = params.sha ?? '';
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="commits">
      {(project) => <CommitBody project={project} sha={sha} />}
    </ProjectFrame>
  );
}

function CommitBody({ project, sha }: { project: Project; sha: string }) {
  const slug = project.slug;
  const commit = useQuery({
    queryKey: keys.commit(slug, sha),
    queryFn: () => api.get<CommitDetail>(`/api/projects/${seg(slug)}/commits/${seg(sha)}`),
    staleTime: Infinity, // a commit never changes
  });
  if (commit.isPending) return <Loading label="Loading commit…" />;
  if (commit.isError)
    return (
      <>
        <PageHeader title="Commit" documentTitle={`${shortSha(sha)} · ${project.name}`} />
        <ErrorAlert error={commit.error} />
      </>
    );
  const c = commit.data;
  const body = c.message.slice(c.title.length).trim();
  return (
    <>
      <PageHeader
        title={c.title || '(no message)'}
        documentTitle={`${c.title} · ${shortSha(c.sha)}`}
        meta={
          <>
            <span>
              <strong className="font-medium text-slate-700">{c.authorName}</strong> authored{' '}
              <TimeAgo iso={c.authorDate} />
            </span>
            {c.committerName !== c.authorName && (
              <span>
                · committed by <strong className="font-medium text-slate-700">{c.committerName}</strong>
              </span>
            )}
          </>
        }
        actions={
          <Link to={to.code(slug, c.sha)} className={buttonClass('secondary')}>
            Browse files
          </Link>
        }
      />
      <div className="mb-6 rounded-lg border border-slate-200 bg-white px-5 py-4 shadow-xs">
        {body && <p className="mb-4 text-sm whitespace-pre-wrap text-slate-700">{body}</p>}
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_minmax(0,1fr)]">
          <dt className="text-slate-500">Commit</dt>
          <dd className="flex min-w-0 items-center gap-2">
            <code className="min-w-0 font-mono text-xs break-all text-slate-800" data-testid="commit-sha">
              {c.sha}
            </code>
            <CopyButton text={c.sha} label="Copy SHA" />
          </dd>
          <dt className="text-slate-500">Parent{c.parents.length === 1 ? '' : 's'}</dt>
          <dd className="flex flex-wrap gap-2">
            {c.parents.length === 0 ? (
              <span className="text-slate-500">none (the first commit)</span>
            ) : (
              c.parents.map((p) => (
                <Link
                  key={p}
                  to={to.commit(slug, p)}
                  className="font-mono text-xs text-emerald-800 hover:underline"
                >
                  {shortSha(p)}
                </Link>
              ))
            )}
          </dd>
          <dt className="text-slate-500">Date</dt>
          <dd className="text-slate-700">{formatDateTime(c.committedAt)}</dd>
        </dl>
      </div>
      <h2 className="mb-3 text-base font-semibold text-slate-900">Changes</h2>
      <RepoDiff slug={slug} diff={c.diff} viewRef={c.sha} />
    </>
  );
}
