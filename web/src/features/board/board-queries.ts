import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type {
  Board,
  BoardCard,
  BoardFilters,
  BoardStats,
  EditFeatureBody,
  MoveBody,
  SdlcKind,
} from '../../api/board-types.ts';
import { api, seg } from '../../api/client.ts';
import type { OperationEvent } from '../../api/operation-types.ts';
import { keys } from '../../api/query-keys.ts';
import { useProjectActivity } from '../operations/live-activity.ts';

const base = (slug: string) => `/api/projects/${seg(slug)}`;

export function useBoard(slug: string, filters: BoardFilters) {
  return useQuery({
    queryKey: [...keys.board(slug), 'cards', filters],
    queryFn: () => api.get<Board>(`${base(slug)}/board`, filters),
    placeholderData: keepPreviousData,
  });
}

export function useBoardStats(slug: string, filters: BoardFilters) {
  return useQuery({
    queryKey: [...keys.board(slug), 'stats', filters],
    queryFn: () => api.get<BoardStats>(`${base(slug)}/board/stats`, filters),
    placeholderData: keepPreviousData,
  });
}

/** Events that move cards: a build entering a phase, an operation starting or ending, a step failing. */
function movesCards(event: OperationEvent): boolean {
  // `feature`: someone moved, assigned or re-classified a feature by hand.
  if (event.type === 'phase' || event.type === 'complete' || event.type === 'feature') return true;
  if (event.type === 'operation') return event.data.status === 'queued' || Boolean(event.data.retry);
  return event.type === 'step' && (event.data.status === 'failed' || event.data.status === 'succeeded');
}

/**
 * Keeps the board live: the project's activity stream (SSE) says when a build moved a feature, and
 * the board is read again — once per burst of events, never on a timer.
 */
export function useLiveBoard(slug: string) {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useProjectActivity(slug, (event) => {
    if (!movesCards(event)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void client.invalidateQueries({ queryKey: keys.board(slug) }), 100);
  });
}

function useCardMutation<V>(slug: string, request: (vars: V) => Promise<BoardCard>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: () => client.invalidateQueries({ queryKey: keys.board(slug) }),
  });
}

export function useMoveFeature(slug: string) {
  return useCardMutation(slug, ({ id, ...body }: MoveBody & { id: string; title: string }) =>
    api.post<BoardCard>(`${base(slug)}/features/${seg(id)}/moves`, { to: body.to, reason: body.reason }),
  );
}

export function useEditFeature(slug: string) {
  return useCardMutation(slug, ({ id, ...body }: EditFeatureBody & { id: string }) =>
    api.patch<BoardCard>(`${base(slug)}/features/${seg(id)}`, body),
  );
}

export function useClassifyFeature(slug: string) {
  return useCardMutation(slug, ({ id, kind }: { id: string; kind: SdlcKind }) =>
    api.put<BoardCard>(`${base(slug)}/features/${seg(id)}/classification`, { kind }),
  );
}
