import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AgentSession, AgentSessionStatus } from '../../api/agent-session-types.ts';
import { api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';

export const isWorking = (status: AgentSessionStatus) => status === 'queued' || status === 'running';

/** One session: status, spend, branch, merge request. Its live transcript refreshes it. */
export function useAgentSession(id: string) {
  return useQuery({
    queryKey: keys.agentSession(id),
    queryFn: () => api.get<AgentSession>(`/api/agent-sessions/${seg(id)}`),
    enabled: Boolean(id),
    // The stream says when something changed; this only covers a stream that could not connect.
    refetchInterval: (query) => (query.state.data && isWorking(query.state.data.status) ? 10_000 : false),
  });
}

/** A project's sessions, newest first, page by page. */
export function useAgentSessions(slug: string) {
  return useInfiniteQuery({
    queryKey: keys.agentSessions(slug),
    queryFn: ({ pageParam }) =>
      api.get<Page<AgentSession>>('/api/agent-sessions', { project: slug, limit: 25, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // Sessions change on their own: opening the list always asks again.
    refetchOnMount: 'always',
    refetchInterval: (query) =>
      query.state.data?.pages[0]?.items.some((s) => isWorking(s.status)) ? 3000 : false,
  });
}
