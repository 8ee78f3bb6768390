import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { Commit } from '../api/repo-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { BranchPicker, codeBranch, useBranches } from '../features/repo/repo-branch-picker.tsx';
import { RepoCommitList } from '../features/repo/repo-commit-list.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

const PAGE_SIZE = 30;

/** `/projects/:slug/commits?ref=&path=`: the history of a branch (or of one path on it). */
export function CommitsPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="commits">
      {(project) => <CommitsBody project={project} />}
    </ProjectFrame>
  );
}

function CommitsBody({ project }: { project: Project }) {
  const slug = project.slug;
  const { search } = useLocation();
  const branches = useBranches(slug);
  const ref = search.get('ref') || codeBranch(branches.data);
  const path = search.get('path') ?? '';
  const empty = branches.data?.length === 0;
  const commits = useInfiniteQuery({
    queryKey: [...keys.commits(slug, ref), path],
    queryFn: ({ pageParam }) =>
      api.get<Page<Commit>>(`/api/projects/${seg(slug)}/commits`, {
        ref,
        path,
        limit: PAGE_SIZE,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: branches.isSuccess && !empty,
    placeholderData: keepPreviousData,
  });
  const items = commits.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title="Commits" documentTitle={`Commits · ${project.name}`} />
      {branches.isPending ? (
        <Loading label="Loading branches…" />
      ) : branches.isError ? (
        <ErrorAlert error={branches.error} />
      ) : empty ? (
        <Card>
          <p className="py-4 text-center text-sm text-slate-500">
            No commits yet.{' '}
            <Link to={to.code(slug)} className="font-medium text-emerald-800 underline">
              See how to push the first one
            </Link>
            .
          </p>
        </Card>
      ) : (
        <Card
          flush
          title={path ? `History of ${path}` : `History of ${ref}`}
          actions={
            <>
              {path && (
                <Link to={to.commits(slug, ref)} className="text-sm text-emerald-800 hover:underline">
                  Whole branch
                </Link>
              )}
              <BranchPicker
                branches={branches.data}
                value={ref}
                onChange={(r) => navigate(to.commits(slug, r, path))}
              />
            </>
          }
        >
          {commits.isPending ? (
            <Loading label="Loading commits…" className="px-5" />
          ) : commits.isError ? (
            <div className="p-5">
              <ErrorAlert error={commits.error} />
            </div>
          ) : items.length === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-slate-500">No commits touch this path.</p>
          ) : (
            <RepoCommitList slug={slug} commits={items} />
          )}
          <LoadMore pages={commits}>Older commits</LoadMore>
        </Card>
      )}
    </>
  );
}
