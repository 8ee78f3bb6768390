import type { Project } from '../api-types.ts';
import { ErrorAlert } from '../components/alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ProjectFrame } from '../components/project-frame.tsx';
import { BranchPicker, defaultBranch, useBranches } from '../components/repo-branch-picker.tsx';
import { RepoBreadcrumbs } from '../components/repo-breadcrumbs.tsx';
import { RepoFileView } from '../components/repo-file-view.tsx';
import { Loading } from '../components/spinner.tsx';
import { to } from '../project-paths.ts';
import { navigate, useLocation } from '../router.tsx';
import type { PageProps } from '../routes.tsx';

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
  const ref = search.get('ref') || defaultBranch(branches.data);
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
