import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { Branch, Tree } from '../api/repo-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { apiPath, shortSha, to } from '../features/projects/project-paths.ts';
import {
  BranchPicker,
  codeBranch,
  defaultBranch,
  useBranches,
} from '../features/repo/repo-branch-picker.tsx';
import { RepoBreadcrumbs } from '../features/repo/repo-breadcrumbs.tsx';
import { cloneUrl, RepoClone } from '../features/repo/repo-clone.tsx';
import { isMarkdownPath, useFile } from '../features/repo/repo-file-view.tsx';
import { repoUrlResolver } from '../features/repo/repo-markdown-urls.ts';
import { RepoTree } from '../features/repo/repo-tree.tsx';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { buttonClass } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { Markdown } from '../widgets/markdown.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/** `/projects/:slug/code?ref=&path=`: the repository at a ref and directory. */
export function RepoPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  return (
    <ProjectFrame slug={slug} tab="code">
      {(project) => <RepoBody project={project} />}
    </ProjectFrame>
  );
}

function RepoBody({ project }: { project: Project }) {
  const slug = project.slug;
  const { search } = useLocation();
  const branches = useBranches(slug);
  const ref = search.get('ref') || codeBranch(branches.data);
  const path = (search.get('path') ?? '').replace(/^\/+|\/+$/g, '');
  const empty = branches.data?.length === 0;
  const tree = useQuery({
    queryKey: keys.tree(slug, ref, path),
    queryFn: () => api.get<Tree>(apiPath.tree(slug, ref, path)),
    enabled: branches.isSuccess && !empty,
  });
  const branch = branches.data?.find((b) => b.name === ref);

  return (
    <>
      <PageHeader title="Code" documentTitle={`${path || 'Code'} · ${project.name}`} />
      {branches.isPending ? (
        <Loading label="Loading branches…" />
      ) : branches.isError ? (
        <ErrorAlert error={branches.error} />
      ) : empty ? (
        <EmptyRepository slug={slug} />
      ) : (
        <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
          <div className="min-w-0 space-y-4 lg:col-span-2">
            <div className="flex flex-wrap items-center gap-3">
              <BranchPicker
                branches={branches.data}
                value={ref}
                onChange={(r) => navigate(to.code(slug, r, path))}
              />
              <RepoBreadcrumbs slug={slug} refName={ref} path={path} />
            </div>
            <Card flush>
              {branch && <LatestCommit slug={slug} branch={branch} />}
              {tree.isPending ? (
                <Loading label="Loading files…" className="px-5" />
              ) : tree.isError ? (
                <div className="space-y-3 p-5">
                  <ErrorAlert error={tree.error} />
                  {tree.error instanceof ApiError && tree.error.status === 404 && (
                    <Link to={to.code(slug, ref)} className={buttonClass('secondary', 'sm')}>
                      Go to the repository root
                    </Link>
                  )}
                </div>
              ) : tree.data.entries.length === 0 ? (
                <p className="px-5 py-8 text-center text-sm text-slate-500">This directory is empty.</p>
              ) : (
                <RepoTree slug={slug} refName={ref} path={path} entries={tree.data.entries} />
              )}
            </Card>
            {tree.data && <Readme slug={slug} refName={ref} tree={tree.data} />}
          </div>
          <div className="space-y-6">
            <RepoClone slug={slug} />
            <BranchList slug={slug} branches={branches.data} current={ref} />
          </div>
        </div>
      )}
    </>
  );
}

function LatestCommit({ slug, branch }: { slug: string; branch: Branch }) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 bg-slate-50 px-5 py-2.5 text-sm">
      <Link
        to={to.commit(slug, branch.sha)}
        className="min-w-0 flex-1 truncate text-slate-800 hover:text-emerald-800 hover:underline"
      >
        {branch.title || '(no message)'}
      </Link>
      <Link
        to={to.commit(slug, branch.sha)}
        className="font-mono text-xs text-slate-500 hover:text-emerald-800"
      >
        {shortSha(branch.sha)}
      </Link>
      <span className="text-xs text-slate-500">
        <TimeAgo iso={branch.committedAt} />
      </span>
      <Link
        to={to.commits(slug, branch.name)}
        className="text-xs font-medium text-emerald-800 hover:underline"
      >
        History
      </Link>
    </div>
  );
}

const README = /^readme(\.(md|markdown|txt|rst))?$/i;

/** The directory's README: Markdown rendered, other READMEs as the plain text they are. */
function Readme({ slug, refName, tree }: { slug: string; refName: string; tree: Tree }) {
  const entry = tree.entries.find((e) => e.type === 'blob' && README.test(e.name));
  const file = useFile(slug, refName, entry?.path ?? '', entry !== undefined);
  if (!entry) return null;
  return (
    <Card title={entry.name}>
      {file.isPending ? (
        <Loading label="Loading README…" />
      ) : file.isError ? (
        <ErrorAlert error={file.error} />
      ) : file.data.kind === 'text' && isMarkdownPath(entry.path) ? (
        <Markdown text={file.data.text} resolveUrl={repoUrlResolver(slug, refName, entry.path)} />
      ) : file.data.kind === 'text' ? (
        <div className="max-h-[32rem] overflow-auto text-sm leading-6 whitespace-pre-wrap text-slate-700">
          {file.data.text}
        </div>
      ) : (
        <Link to={to.file(slug, refName, entry.path)} className="text-sm text-emerald-800 underline">
          Open {entry.name}
        </Link>
      )}
    </Card>
  );
}

function BranchList({ slug, branches, current }: { slug: string; branches: Branch[]; current: string }) {
  const base = defaultBranch(branches);
  return (
    <Card
      title="Branches"
      description={`${branches.length} branch${branches.length === 1 ? '' : 'es'}`}
      flush
    >
      <ul aria-label="Branches" className="divide-y divide-slate-100">
        {branches.map((b) => (
          <li key={b.name} className={`px-5 py-2.5 text-sm ${b.name === current ? 'bg-emerald-50/50' : ''}`}>
            <div className="flex items-center gap-2">
              <Link
                to={to.code(slug, b.name)}
                className="min-w-0 truncate font-mono text-xs font-medium text-slate-900 hover:text-emerald-800 hover:underline"
              >
                {b.name}
              </Link>
              {b.default && <Badge tone="green">default</Badge>}
              {b.protected && <Badge tone="amber">protected</Badge>}
              {b.name !== base && (
                <Link
                  to={to.compare(slug, base, b.name)}
                  className="ml-auto shrink-0 text-xs text-slate-500 hover:text-emerald-800 hover:underline"
                >
                  Compare
                </Link>
              )}
            </div>
            <p className="mt-0.5 truncate text-xs text-slate-500">
              {b.title} · <TimeAgo iso={b.committedAt} />
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function EmptyRepository({ slug }: { slug: string }) {
  const url = cloneUrl(slug);
  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
      <Card
        title="This repository is empty"
        className="lg:col-span-2"
        description="Push a first commit and its files show here."
      >
        <div className="space-y-4 text-sm text-slate-700">
          <p>From an existing project on your machine:</p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 px-4 py-3 font-mono text-xs leading-5 text-slate-100">
            {`git remote add orchard ${url}\ngit push -u orchard main`}
          </pre>
          <Alert>
            Pipelines run on every push when the repository has a <code>.orchard/pipeline.yml</code>.
          </Alert>
        </div>
      </Card>
      <RepoClone slug={slug} />
    </div>
  );
}
