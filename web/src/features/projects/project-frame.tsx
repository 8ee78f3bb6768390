import type { ReactNode } from 'react';
import type { Project } from '../../api/project-types.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { Breadcrumbs } from '../../widgets/breadcrumbs.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { to } from './project-paths.ts';
import { useProject } from './project-queries.ts';
import { ProjectUnavailable } from './project-unavailable.tsx';
import { roleAtLeast } from './roles.ts';

export type ProjectTab =
  | 'overview'
  | 'board'
  | 'code'
  | 'commits'
  | 'merge-requests'
  | 'issues'
  | 'pipelines'
  | 'workflows'
  | 'agent-sessions'
  | 'conversations'
  | 'environments'
  | 'services'
  | 'webhooks';

interface TabDef {
  id: ProjectTab;
  label: string;
  href: (slug: string) => string;
  /** Hidden below this role (the server refuses it anyway). */
  role?: Project['role'];
}

/** The sections of a project, in the order of the tab bar. */
const TABS: TabDef[] = [
  { id: 'overview', label: 'Overview', href: to.project },
  { id: 'board', label: 'Board', href: to.board },
  { id: 'code', label: 'Code', href: (s) => to.code(s) },
  { id: 'commits', label: 'Commits', href: (s) => to.commits(s) },
  { id: 'merge-requests', label: 'Merge requests', href: to.mergeRequests },
  { id: 'issues', label: 'Issues', href: to.issues },
  { id: 'pipelines', label: 'Pipelines', href: to.pipelines },
  { id: 'workflows', label: 'Workflows', href: to.workflows },
  { id: 'agent-sessions', label: 'Agent sessions', href: to.agentSessions },
  { id: 'conversations', label: 'Conversations', href: (s) => `${to.project(s)}/conversations` },
  { id: 'environments', label: 'Environments', href: (s) => to.environments(s) },
  { id: 'services', label: 'Services', href: to.services },
  { id: 'webhooks', label: 'Webhooks', href: to.webhooks, role: 'maintainer' },
];

/**
 * The frame of a project's sub-pages: breadcrumb, the section tabs, then the page. The page gets
 * the loaded project (for the role); a missing or forbidden project shows one clear message.
 */
export function ProjectFrame({
  slug,
  tab,
  children,
}: {
  slug: string;
  tab: ProjectTab;
  children: (project: Project) => ReactNode;
}) {
  const project = useProject(slug);
  if (project.isPending) return <Loading label="Loading project…" />;
  if (project.isError) return <ProjectUnavailable slug={slug} error={project.error} />;
  const p = project.data;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Projects', to: '/projects' },
          { label: p.name, to: to.project(p.slug) },
        ]}
      />
      <ProjectTabs project={p} current={tab} />
      {children(p)}
    </>
  );
}

export function ProjectTabs({ project, current }: { project: Project; current: ProjectTab }) {
  const { pathname } = useLocation();
  return (
    <nav aria-label="Project sections" className="mb-6 overflow-x-auto border-b border-slate-200">
      <ul className="-mb-px flex gap-1">
        {TABS.filter((t) => !t.role || roleAtLeast(project.role, t.role)).map((t) => {
          const href = t.href(project.slug);
          const active = t.id === current;
          return (
            <li key={t.id}>
              <Link
                to={href}
                aria-current={active ? (pathname === href ? 'page' : 'location') : undefined}
                className={`inline-flex items-center border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-emerald-600 ${
                  active
                    ? 'border-emerald-600 text-emerald-800'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
                }`}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
