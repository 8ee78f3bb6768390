import type { AgentSession } from '../api/agent-session-types.ts';
import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Redirect } from '../app/router.tsx';
import { DiffStatPanel } from '../features/agents/agent-diff-stat.tsx';
import { useLiveTranscript } from '../features/agents/agent-live-transcript.ts';
import { CancelSessionButton, FollowUpForm } from '../features/agents/agent-session-actions.tsx';
import { AgentSessionFacts } from '../features/agents/agent-session-facts.tsx';
import { isWorking, useAgentSession } from '../features/agents/agent-session-queries.ts';
import { SpendMeters } from '../features/agents/agent-spend.tsx';
import { TranscriptView } from '../features/agents/agent-transcript-view.tsx';
import { OperationModel } from '../features/llm/operation-model.tsx';
import { StatusBadge, StreamIndicator } from '../features/operations/live-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';
import { Unavailable } from '../widgets/unavailable.tsx';

/** `/projects/:slug/agent-sessions/:id`: one agent session, live — its transcript, spend and changes. */
export function AgentSessionPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="agent-sessions">
      {(project) => <AgentSessionBody project={project} id={params.id ?? ''} />}
    </ProjectFrame>
  );
}

/** "agent-shop for alice": who acts, and for whom. */
function who(session: AgentSession) {
  if (session.principal && session.startedBy) return `${session.principal} for ${session.startedBy}`;
  return session.principal ?? session.startedBy ?? 'Orchard';
}

const STOP_REASONS: Record<string, string> = {
  budget: 'It stopped at its budget.',
  cancelled: 'It was cancelled.',
  error: 'It stopped on an error.',
  setup: 'Its setup (.orchard/agent.yml) failed before the agent started.',
};

function AgentSessionBody({ project, id }: { project: Project; id: string }) {
  const detail = useAgentSession(id);
  const { transcript, stream, follow } = useLiveTranscript(detail.isError ? '' : id);
  const canWrite = roleAtLeast(project.role, 'developer') && !project.archived;

  if (detail.isPending) return <Loading label="Loading agent session…" />;
  if (detail.isError)
    return (
      <Unavailable
        error={detail.error}
        titles={{ notFound: 'Agent session not found', other: 'Could not load the agent session' }}
        documentTitle={`Agent session ${id.slice(0, 8)}`}
        back={{ to: to.agentSessions(project.slug), label: 'Back to agent sessions' }}
      />
    );
  const session = detail.data;
  // An address with another project's slug still finds the session: go to its own project.
  if (session.projectSlug !== project.slug) return <Redirect to={to.agentSession(session.projectSlug, id)} />;
  const working = isWorking(session.status);

  return (
    <>
      <PageHeader
        title={session.title}
        documentTitle={`${session.title} · agent session`}
        meta={
          <>
            <span data-testid="session-status">
              <StatusBadge status={session.status} />
            </span>
            <Badge tone="blue">
              {session.runtime}
              {session.model ? ` · ${session.model}` : ''}
            </Badge>
            {session.operationId && (
              <OperationModel
                slug={project.slug}
                operationId={session.operationId}
                progress={`${session.status}:${session.spend.steps}`}
              />
            )}
            <span>
              <span className="font-medium text-slate-700">{who(session)}</span>{' '}
              <TimeAgo iso={session.createdAt} prefix="started" />
            </span>
            <StreamIndicator state={stream} />
          </>
        }
        actions={working && canWrite && <CancelSessionButton session={session} />}
      />
      {(session.status === 'failed' || session.status === 'cancelled') && (
        <div className="mb-6">
          <ErrorAlert
            title={`The session ${session.status}. ${STOP_REASONS[session.stopReason ?? ''] ?? ''}`.trim()}
            error={new Error(session.error ?? 'No reason was recorded.')}
          />
        </div>
      )}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="Transcript">
            <TranscriptView
              transcript={transcript}
              slug={project.slug}
              working={working && stream !== 'closed'}
              stream={stream}
            />
          </Card>
          {!working && canWrite && (
            <Card title="Continue">
              <FollowUpForm session={session} onSent={follow} />
            </Card>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          <SpendMeters session={session} />
          <DiffStatPanel session={session} />
          <AgentSessionFacts session={session} />
        </div>
      </div>
    </>
  );
}
