import { useRef, useState } from 'react';
import type { OperationEvent } from '../../api/operation-types.ts';
import { type StreamState, useEventSource } from '../operations/live-events.ts';

export interface LogLine {
  text: string;
  stream: 'stdout' | 'stderr' | 'note';
}

export type LiveState = StreamState;

/**
 * Follows an operation's event stream (SSE: replay from the start, then live) and collects the
 * `log` events of each step, so every job's output appears as it is written. State changes of
 * steps call `onChange` (the page reloads the pipeline then). After the terminal `complete`
 * event the stream is over: the browser must not reconnect to it.
 */
export function useOperationLogs(operationId: string | null, enabled: boolean, onChange: () => void) {
  const logs = useRef(new Map<string, LogLine[]>());
  const finished = useRef(false);
  const lastId = useRef(0);
  const [, setVersion] = useState(0);
  const frame = useRef(0);
  // Many log events arrive per frame while replaying: render at most once a frame.
  const render = () => {
    frame.current ||= requestAnimationFrame(() => {
      frame.current = 0;
      setVersion((v) => v + 1);
    });
  };
  const url = operationId && enabled ? `/api/operations/${encodeURIComponent(operationId)}/events` : null;
  const state = useEventSource(url, {
    isFinished: () => finished.current,
    onMessage(data, id) {
      // Ids only grow: a replay after a fresh connection (or React's double effects in development)
      // repeats events already counted, and those are skipped.
      const eventId = Number(id);
      if (eventId && eventId <= lastId.current) return;
      if (eventId) lastId.current = eventId;
      const event = data as OperationEvent;
      if (event.type === 'log' && event.step) {
        const lines = logs.current.get(event.step) ?? [];
        const stream = event.data.stream === 'stderr' ? 'stderr' : 'stdout';
        for (const text of String(event.data.text ?? '').split('\n')) lines.push({ text, stream });
        const dropped = Number(event.data.dropped ?? 0);
        if (dropped > 0)
          lines.push({
            text: `… ${dropped} chunk(s) skipped live; the stored log has them.`,
            stream: 'note',
          });
        logs.current.set(event.step, lines);
        render();
      } else if (event.type === 'complete') {
        finished.current = true;
        onChange();
      } else if (event.type === 'step' || event.type === 'operation') {
        onChange();
      }
    },
  });
  return { logs: logs.current, state };
}
