import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { Operation, OperationEvent } from '../../api/operation-types.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import { type StreamState, useEventSource } from './live-events.ts';
import { failureLines, operationLabel } from './live-format.ts';

export interface ActivityEntry {
  id: number;
  operationId: string;
  operation: string;
  /** The operation's kind, once its `operation` event was seen. */
  kind?: string;
  step: string | null;
  text: string;
  tone: 'neutral' | 'green' | 'red' | 'blue' | 'amber';
  at: string;
}

const MAX_ENTRIES = 80;

/** The feed opens with the last few operations (a build starts a pipeline and a deploy of its own). */
const RECENT_OPERATIONS = 5;

/**
 * Where the activity stream starts: just before the first event of the oldest recent operation,
 * so the feed opens with the latest build rather than the whole project history.
 */
function useActivityStart(slug: string) {
  return useQuery({
    queryKey: [...keys.operations(slug), 'activity-start'],
    staleTime: Infinity,
    queryFn: async () => {
      const ops = await api.get<Page<Operation>>('/api/operations', {
        project: slug,
        limit: RECENT_OPERATIONS,
      });
      const oldest = ops.items[ops.items.length - 1];
      if (!oldest) return 0;
      const first = await api.get<Page<OperationEvent>>(`/api/operations/${seg(oldest.id)}/events`, {
        limit: 1,
      });
      return Math.max(0, (first.items[0]?.id ?? 1) - 1);
    },
  });
}

function artifactLine(d: Record<string, unknown>): string {
  const name = String(d.name ?? '');
  switch (d.kind) {
    case 'merge-request':
      return `opened merge request ${name}`;
    case 'pipeline':
      return `started pipeline ${name}`;
    case 'commit':
      return `committed ${String(d.sha ?? name).slice(0, 7)}`;
    case 'url':
      return `deployed to ${name}`;
    case 'check':
      return `check ${name}: ${String(d.status ?? '')}`;
    default:
      return `captured ${String(d.kind ?? 'artifact')} ${name}`.trim();
  }
}

/** One line of the feed per event worth reading (progress and log lines stay in their operation). */
function describe(
  event: OperationEvent,
  kinds: Map<string, string>,
): Omit<ActivityEntry, 'id' | 'operationId' | 'operation' | 'step' | 'at'> | null {
  const d = event.data;
  switch (event.type) {
    case 'operation':
      return d.retry
        ? { text: `retried (run ${String(d.run)})`, tone: 'amber' }
        : d.status === 'queued'
          ? { text: 'started', tone: 'blue' }
          : null;
    case 'step':
      if (d.status === 'running')
        return {
          text: `${event.step} running${Number(d.attempt) > 1 ? ` (attempt ${String(d.attempt)})` : ''}`,
          tone: 'blue',
        };
      if (d.status === 'succeeded') return { text: `${event.step} succeeded`, tone: 'green' };
      if (d.status === 'failed')
        return { text: `${event.step} failed${d.error ? `: ${String(d.error)}` : ''}`, tone: 'red' };
      // A retry is told by its `error` event; a parent waiting for its sub-steps is no news.
      return null;
    case 'phase':
      return {
        text: String(d.message ?? d.phase ?? d.name ?? event.step),
        tone: 'neutral',
      };
    case 'feature':
      return { text: featureLine(d), tone: 'neutral' };
    case 'artifact':
      return {
        text: artifactLine(d),
        tone: d.kind === 'check' && d.status !== 'success' ? 'red' : 'neutral',
      };
    case 'error':
      // A step's final failure is its `failed` step line already.
      if (d.willRetry === true) return { text: failureLines(event)[0]!, tone: 'amber' };
      return event.step ? null : { text: String(d.message ?? 'error'), tone: 'red' };
    case 'complete': {
      const status = String(d.status);
      const label = kinds.get(event.operationId);
      return {
        text: `${label ? '' : 'operation '}${status}`,
        tone: status === 'succeeded' ? 'green' : status === 'failed' ? 'red' : 'amber',
      };
    }
    default:
      return null;
  }
}

/**
 * The project's activity, live: every operation's notable events, newest first. `onEvent` sees
 * every event (the Studio follows new builds and refreshes environments with it).
 */
export function useProjectActivity(
  slug: string,
  onEvent?: (event: OperationEvent, kind: string | undefined) => void,
): { entries: ActivityEntry[]; stream: StreamState; ready: boolean } {
  const start = useActivityStart(slug);
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const kinds = useRef(new Map<string, string>());
  const lastId = useRef(0);
  const pending = useRef<ActivityEntry[]>([]);
  const flush = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(flush.current), []);
  const url = start.data === undefined ? null : `/api/projects/${seg(slug)}/activity?after=${start.data}`;
  const stream = useEventSource(url, {
    onMessage(data) {
      const event = data as OperationEvent;
      if (typeof event?.id !== 'number' || event.id <= lastId.current) return;
      lastId.current = event.id;
      if (event.type === 'operation' && typeof event.data.kind === 'string') {
        kinds.current.set(event.operationId, event.data.kind);
      }
      const kind = kinds.current.get(event.operationId);
      onEvent?.(event, kind);
      const line = describe(event, kinds.current);
      if (!line) return;
      const entry: ActivityEntry = {
        ...line,
        id: event.id,
        operationId: event.operationId,
        operation: kind ? operationLabel(kind) : `Operation ${event.operationId.slice(0, 8)}`,
        kind,
        step: event.step,
        at: event.at,
      };
      pending.current.unshift(entry);
      // A replay arrives as a burst: one render for all of it.
      flush.current ??= setTimeout(() => {
        flush.current = undefined;
        const added = pending.current;
        pending.current = [];
        setEntries((old) => [...added, ...old].slice(0, MAX_ENTRIES));
      }, 50);
    },
  });
  return { entries, stream, ready: start.isSuccess };
}

/** A change made by hand on the board: “Checkout moved from plan to implement by ada”. */
function featureLine(d: Record<string, unknown>): string {
  const title = String(d.title ?? 'a feature');
  const by = d.by ? ` by ${String(d.by)}` : '';
  const move = d.move as { from?: string; to?: string } | undefined;
  if (move) return `${title} moved from ${move.from} to ${move.to}${by}`;
  const classify = d.classify as { from?: string; to?: string } | undefined;
  if (classify) return `${title} is now a ${classify.to} (was ${classify.from})${by}`;
  return `${title} edited${by}`;
}
