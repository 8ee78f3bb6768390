import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AgentSessionEntry } from '../../api/agent-session-types.ts';
import { seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { type StreamState, useEventSource } from '../operations/live-events.ts';
import { emptyTranscript, foldEntries, type Transcript } from './agent-transcript.ts';

/** Entries are handed to React in batches: a replay of a long transcript is one render. */
const FLUSH_MS = 40;
/** The session's detail is refetched at most this often while entries arrive. */
const DETAIL_MS = 300;

export interface LiveTranscriptHandle {
  transcript: Transcript;
  stream: StreamState;
  /** Follow the session again (a follow-up started a new run after the stream had ended). */
  follow(): void;
}

/**
 * Follows a session's transcript over server-sent events: the entries so far, then new ones as the
 * agent works, until the server says the session ended and everything was sent. A dropped
 * connection resumes after the last entry (EventSource's Last-Event-ID). The session's detail is
 * refetched as its figures change.
 */
export function useLiveTranscript(id: string): LiveTranscriptHandle {
  const client = useQueryClient();
  // The page is keyed by its path, so one hook instance follows one session.
  const folded = useRef({ state: emptyTranscript(), ended: false });
  const [shown, setShown] = useState(folded.current.state);
  const [generation, setGeneration] = useState(0);
  const pending = useRef<AgentSessionEntry[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const detailTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () => () => {
      clearTimeout(flushTimer.current);
      clearTimeout(detailTimer.current);
    },
    [],
  );

  // Every entry may move the figures (status, spend, merge request): one refetch per burst, and a
  // steady stream still refreshes (a pending refetch is not pushed back).
  const refreshDetail = useCallback(() => {
    detailTimer.current ??= setTimeout(() => {
      detailTimer.current = undefined;
      void client.invalidateQueries({ queryKey: keys.agentSession(id) });
    }, DETAIL_MS);
  }, [client, id]);

  const flush = useCallback(() => {
    clearTimeout(flushTimer.current);
    flushTimer.current = undefined;
    const batch = pending.current;
    pending.current = [];
    folded.current.state = foldEntries(folded.current.state, batch);
    setShown(folded.current.state);
  }, []);

  // `after` is read only when (re)connecting: a follow-up does not replay what is on the page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reconnect trigger
  const url = useMemo(
    () => (id ? `/api/agent-sessions/${seg(id)}/events?after=${folded.current.state.lastEventId}` : null),
    [id, generation],
  );
  const stream = useEventSource(
    url,
    {
      onMessage(data) {
        const entry = data as AgentSessionEntry;
        if (typeof entry?.id !== 'number' || typeof entry.kind !== 'string') return;
        pending.current.push(entry);
        refreshDetail();
        flushTimer.current ??= setTimeout(flush, FLUSH_MS);
      },
      onEnd(data) {
        const caughtUp = typeof (data as { status?: unknown })?.status === 'string';
        if (caughtUp) {
          folded.current.ended = true;
          flush();
          refreshDetail();
        }
        return caughtUp;
      },
      isFinished: () => folded.current.ended,
    },
    { restartKey: generation },
  );

  const follow = useCallback(() => {
    folded.current.ended = false;
    setGeneration((g) => g + 1);
  }, []);

  return { transcript: shown, stream, follow };
}
