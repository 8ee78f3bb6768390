import type { AgentSession } from '../api/agent-session-types.ts';
import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { AgentSessionForm } from '../features/agents/agent-session-form.tsx';
import { useAgentSessions } from '../features/agents/agent-session-queries.ts';
import { formatUsd } from '../features/llm/llm-format.ts';
import { StatusBadge } from '../features/operations/live-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/** `/projects/:slug/agent-sessions`: the project's agent sessions, newest first, and a form to start one. */
export function AgentSessionsPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="agent-sessions">
      {(project) => <AgentSessionsBody project={project} />}
    </ProjectFrame>
  );
}

function AgentSessionsBody({ project }: { project: Project }) {
  const slug = project.slug;
  const list = useAgentSessions(slug);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canStart = roleAtLeast(project.role, 'developer') && !project.archived;

  return (
    <>
      <PageHeader
        title="Agent sessions"
        documentTitle={`Agent sessions · ${project.name}`}
        description="Coding agents working on their own branches: each session ends in a merge request you review."
      />
      <div className={`grid grid-cols-1 items-start gap-6 ${canStart ? 'lg:grid-cols-3' : ''}`}>
        <Card flush className="lg:col-span-2" title="Sessions">
          {list.isPending ? (
            <Loading label="Loading agent sessions…" className="px-5" />
          ) : list.isError ? (
            <div className="p-5">
              <ErrorAlert error={list.error} />
            </div>
          ) : items.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-slate-500">
              No agent sessions yet.{canStart ? ' Start one with the form.' : ''}
            </p>
          ) : (
            <ul aria-label="Agent sessions" className="divide-y divide-slate-100">
              {items.map((s) => (
                <SessionRow key={s.id} slug={slug} session={s} />
              ))}
            </ul>
          )}
          <LoadMore pages={list} />
        </Card>
        {canStart && (
          <Card title="New agent session">
            <AgentSessionForm slug={slug} />
          </Card>
        )}
      </div>
    </>
  );
}

function SessionRow({ slug, session }: { slug: string; session: AgentSession }) {
  return (
    <li className="flex items-start gap-3 px-5 py-3 hover:bg-slate-50">
      <div className="min-w-0 flex-1">
        <Link
          to={to.agentSession(slug, session.id)}
          className="font-medium text-slate-900 hover:text-emerald-800 hover:underline"
        >
          {session.title}
        </Link>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-1 text-xs text-slate-500">
          <span>
            {session.runtime}
            {session.model ? ` · ${session.model}` : ''}
          </span>
          <span>·</span>
          <code className="rounded bg-slate-100 px-1 text-slate-700">{session.branch}</code>
          <span>·</span>
          <span>{formatUsd(session.spend.costUsd)}</span>
          {session.startedBy && <span>· by {session.startedBy}</span>}
          <span>·</span>
          <TimeAgo iso={session.createdAt} />
        </p>
      </div>
      <StatusBadge status={session.status} />
    </li>
  );
}
