import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AgentSession } from '../../api/agent-session-types.ts';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { Link, navigate } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { StatusBadge } from '../operations/live-status.tsx';
import { to } from '../projects/project-paths.ts';
import { useAgentSessions } from './agent-session-queries.ts';

/**
 * The issue's agent sessions, and "Assign to agent" for developers: a session that works on the
 * issue on its own branch and opens a merge request that closes it.
 */
export function AssignIssueAgent({
  slug,
  number,
  canAssign,
}: {
  slug: string;
  number: number;
  canAssign: boolean;
}) {
  const client = useQueryClient();
  // The newest sessions of the project are enough to find this issue's recent ones.
  const sessions = useAgentSessions(slug);
  const mine = (sessions.data?.pages.flatMap((p) => p.items) ?? []).filter((s) => s.issueNumber === number);
  const assign = useMutation({
    // The answer is the new session (the route's body takes defaults for everything).
    mutationFn: () => api.post<AgentSession>(`/api/projects/${seg(slug)}/issues/${number}/assign-agent`, {}),
    onSuccess: (session) => {
      client.setQueryData(keys.agentSession(session.id), session);
      void client.invalidateQueries({ queryKey: keys.agentSessions(slug) });
      navigate(to.agentSession(slug, session.id));
    },
  });

  return (
    <section aria-label="Agent" className="space-y-2 border-b border-slate-200 pb-4">
      <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Agent</h2>
      {mine.length > 0 ? (
        <ul aria-label="Agent sessions on this issue" className="space-y-1">
          {mine.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-2">
              <Link
                to={to.agentSession(slug, s.id)}
                className="min-w-0 truncate font-medium text-emerald-800 hover:underline"
              >
                {s.branch}
              </Link>
              <StatusBadge status={s.status} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-500">No agent has worked on this issue.</p>
      )}
      {canAssign && (
        <Button variant="secondary" size="sm" busy={assign.isPending} onClick={() => assign.mutate()}>
          Assign to agent
        </Button>
      )}
      {assign.isError && <ErrorAlert error={assign.error} />}
    </section>
  );
}
