import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { BranchPicker, codeBranch, useBranches } from '../features/repo/repo-branch-picker.tsx';
import { RepoBreadcrumbs } from '../features/repo/repo-breadcrumbs.tsx';
import { RepoFileView } from '../features/repo/repo-file-view.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** `/projects/:slug/code/blob?ref=&path=`: one file of the repository. */
export function RepoFilePage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="code">
      {(project) => <FileBody project={project} />}
    </ProjectFrame>
  );
}

function FileBody({ project }: { project: Project }) {
  const slug = project.slug;
  const { search } = useLocation();
  const branches = useBranches(slug);
  const ref = search.get('ref') || codeBranch(branches.data);
  const path = (search.get('path') ?? '').replace(/^\/+|\/+$/g, '');
  const name = path.split('/').pop() || 'File';
  return (
    <>
      <PageHeader title={name} documentTitle={`${path} · ${project.name}`} />
      {branches.isPending ? (
        <Loading label="Loading branches…" />
      ) : branches.isError ? (
        <ErrorAlert error={branches.error} />
      ) : (
        <div className="space-y-4">
          <div className="flex flex-wrap items-center gap-3">
            <BranchPicker
              branches={branches.data}
              value={ref}
              onChange={(r) => navigate(to.file(slug, r, path))}
            />
            <RepoBreadcrumbs slug={slug} refName={ref} path={path} />
          </div>
          {path ? (
            <RepoFileView slug={slug} refName={ref} path={path} />
          ) : (
            <ErrorAlert error={new Error('Name a file with ?path=… in the address.')} />
          )}
        </div>
      )}
    </>
  );
}
