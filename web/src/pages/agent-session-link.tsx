import type { PageProps } from '../app/page-props.ts';
import { Redirect } from '../app/router.tsx';
import { useAgentSession } from '../features/agents/agent-session-queries.ts';
import { to } from '../features/projects/project-paths.ts';
import { Loading } from '../widgets/spinner.tsx';
import { Unavailable } from '../widgets/unavailable.tsx';

/**
 * `/agent-sessions/:id`, the short address merge requests made by a session cite: it finds the
 * session's project and goes to the session's page there.
 */
export function AgentSessionLinkPage({ params }: PageProps) {
  const id = params.id ?? '';
  const session = useAgentSession(id);
  if (session.isPending) return <Loading label="Finding the agent session…" />;
  if (session.isError)
    return (
      <Unavailable
        error={session.error}
        titles={{ notFound: 'Agent session not found', other: 'Could not load the agent session' }}
        documentTitle={`Agent session ${id.slice(0, 8)}`}
        back={{ to: '/projects', label: 'Back to projects' }}
      />
    );
  return <Redirect to={to.agentSession(session.data.projectSlug, id)} />;
}
