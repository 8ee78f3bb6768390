import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { BranchPicker, defaultBranch, useBranches } from '../features/repo/repo-branch-picker.tsx';
import { RepoCommitList } from '../features/repo/repo-commit-list.tsx';
import { RepoDiff } from '../features/repo/repo-diff.tsx';
import { useComparison } from '../features/repo/repo-queries.ts';
import { MrCreateForm } from '../features/reviews/mr-create-form.tsx';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** `/projects/:slug/compare?base=&head=`: what `head` adds to `base`, and a merge request from it. */
export function ComparePage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="merge-requests">
      {(project) => <CompareBody project={project} />}
    </ProjectFrame>
  );
}

function CompareBody({ project }: { project: Project }) {
  const slug = project.slug;
  const { search } = useLocation();
  const branches = useBranches(slug);
  const base = search.get('base') || defaultBranch(branches.data);
  const head = search.get('head') || branches.data?.find((b) => b.name !== base)?.name || base;
  const comparison = useComparison(slug, base, head, branches.isSuccess);
  const isBranch = (name: string) => branches.data?.some((b) => b.name === name) ?? false;
  const canOpen =
    roleAtLeast(project.role, 'developer') && !project.archived && isBranch(base) && isBranch(head);

  return (
    <>
      <PageHeader
        title="Compare changes"
        documentTitle={`Compare ${base}...${head} · ${project.name}`}
        description="Pick the branch to merge into and the branch with the changes."
      />
      {branches.isPending ? (
        <Loading label="Loading branches…" />
      ) : branches.isError ? (
        <ErrorAlert error={branches.error} />
      ) : (
        <div className="space-y-6">
          <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs">
            <BranchPicker
              branches={branches.data}
              value={base}
              label="Into"
              hideLabel={false}
              onChange={(b) => navigate(to.compare(slug, b, head), { replace: true })}
            />
            <span aria-hidden="true" className="text-slate-400">
              ←
            </span>
            <BranchPicker
              branches={branches.data}
              value={head}
              label="From"
              hideLabel={false}
              onChange={(h) => navigate(to.compare(slug, base, h), { replace: true })}
            />
          </div>
          {base === head ? (
            <Alert>Choose two different branches to see what one adds to the other.</Alert>
          ) : comparison.isPending ? (
            <Loading label="Comparing…" />
          ) : comparison.isError ? (
            <ErrorAlert error={comparison.error} />
          ) : comparison.data.commits.length === 0 ? (
            <Alert>
              <strong>{base}</strong> already contains everything in <strong>{head}</strong>.
            </Alert>
          ) : (
            <>
              {canOpen && (
                <Card title="Open a merge request" description={`Merge ${head} into ${base}.`}>
                  <MrCreateForm
                    key={`${base}...${head}`}
                    slug={slug}
                    source={head}
                    target={base}
                    suggestedTitle={
                      comparison.data.commits.length === 1 ? comparison.data.commits[0]!.title : head
                    }
                  />
                </Card>
              )}
              <Card
                flush
                title="Commits"
                description={`${comparison.data.commits.length} commit${comparison.data.commits.length === 1 ? '' : 's'} on ${head} that ${base} lacks`}
              >
                <RepoCommitList slug={slug} commits={comparison.data.commits} label="Compared commits" />
              </Card>
              <section aria-label="Changes">
                <h2 className="mb-3 text-base font-semibold text-slate-900">Changes</h2>
                <RepoDiff slug={slug} diff={comparison.data.diff} viewRef={comparison.data.head} />
              </section>
            </>
          )}
        </div>
      )}
    </>
  );
}
