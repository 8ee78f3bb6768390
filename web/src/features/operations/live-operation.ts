import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { OperationDetail, OperationEvent } from '../../api/operation-types.ts';
import { keys } from '../../api/query-keys.ts';
import { type StreamState, useEventSource } from './live-events.ts';
import {
  applyOperationEvent,
  emptyLiveOperation,
  type LiveOperation,
  TERMINAL_STATUSES,
} from './live-operation-state.ts';

/** An operation with its steps (timings, attempts, errors) as the API reports them. */
export function useOperation(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.operation(id ?? ''),
    queryFn: () => api.get<OperationDetail>(`/api/operations/${seg(id!)}`),
    enabled: Boolean(id),
  });
}

/** How often the folded state is handed to React: a replay of a thousand events is one render. */
const FLUSH_MS = 40;
const EMPTY = emptyLiveOperation();

export interface LiveOperationHandle {
  live: LiveOperation;
  stream: StreamState;
  /** Follow the operation again after a retry (the stream ended with the previous run). */
  resume(): void;
}

interface Folded {
  id: string | null | undefined;
  state: LiveOperation;
}

/**
 * Follows an operation live: replays its events, then streams new ones until its terminal event,
 * folding them into steps with progress, logs, artifacts and streamed LLM text. The operation's
 * detail (step timings) is refreshed as steps change.
 */
export function useLiveOperation(
  id: string | null | undefined,
  options: { onComplete?: (live: LiveOperation) => void } = {},
): LiveOperationHandle {
  const client = useQueryClient();
  const folded = useRef<Folded>({ id, state: EMPTY });
  // A different operation starts from nothing.
  if (folded.current.id !== id) folded.current = { id, state: EMPTY };
  const [shown, setShown] = useState<Folded>(folded.current);
  const [generation, setGeneration] = useState(0);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const detailTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onComplete = useRef(options.onComplete);
  onComplete.current = options.onComplete;

  useEffect(
    () => () => {
      clearTimeout(flushTimer.current);
      clearTimeout(detailTimer.current);
    },
    [],
  );

  const refreshDetail = useCallback(
    (opId: string) => {
      clearTimeout(detailTimer.current);
      detailTimer.current = setTimeout(
        () => client.invalidateQueries({ queryKey: keys.operation(opId) }),
        300,
      );
    },
    [client],
  );

  // `after` keeps a reconnect (or a resume after a retry) from replaying what we already have;
  // it is read only when the connection is (re)made.
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reconnect trigger
  const url = useMemo(
    () => (id ? `/api/operations/${seg(id)}/events?after=${folded.current.state.lastEventId}` : null),
    [id, generation],
  );
  const stream = useEventSource(
    url,
    {
      onMessage(data) {
        const event = data as OperationEvent;
        const mine = folded.current;
        if (!mine.id || event?.operationId !== mine.id || event.id <= mine.state.lastEventId) return;
        const wasDone = mine.state.done;
        mine.state = applyOperationEvent(mine.state, event);
        if (event.type === 'step' || event.type === 'complete' || event.type === 'operation') {
          refreshDetail(mine.id);
        }
        if (!wasDone && mine.state.done) onComplete.current?.(mine.state);
        if (!flushTimer.current) {
          flushTimer.current = setTimeout(() => {
            flushTimer.current = undefined;
            setShown({ ...folded.current });
          }, FLUSH_MS);
        }
      },
      isFinished: () => folded.current.state.done && TERMINAL_STATUSES.has(folded.current.state.status),
    },
    { restartKey: generation },
  );

  const resume = useCallback(() => {
    folded.current = { ...folded.current, state: { ...folded.current.state, done: false } };
    setShown(folded.current);
    setGeneration((g) => g + 1);
  }, []);

  return { live: shown.id === id ? shown.state : EMPTY, stream, resume };
}
