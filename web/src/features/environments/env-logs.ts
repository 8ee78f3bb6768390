import { useRef, useState } from 'react';
import type { AppLogLine } from '../../api/env-types.ts';
import { type StreamState, useEventSource } from '../operations/live-events.ts';
import { envPath } from './env-queries.ts';

const MAX_LINES = 1000;

/**
 * An environment's app log, live: the server sends the tail, then new lines (`event: log`). A
 * reconnect sends the tail again, so each connection starts the list afresh.
 */
export function useEnvironmentLogs(
  slug: string,
  env: string | null,
): { lines: AppLogLine[]; stream: StreamState } {
  const [lines, setLines] = useState<AppLogLine[]>([]);
  const pending = useRef<AppLogLine[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const url = env ? `${envPath(slug, env)}/logs?tail=200` : null;
  const stream = useEventSource(
    url,
    {
      onOpen() {
        clearTimeout(timer.current);
        timer.current = undefined;
        pending.current = [];
        setLines([]);
      },
      onMessage(data) {
        pending.current.push(data as AppLogLine);
        timer.current ??= setTimeout(() => {
          timer.current = undefined;
          const added = pending.current;
          pending.current = [];
          setLines((old) => [...old, ...added].slice(-MAX_LINES));
        }, 60);
      },
    },
    { event: 'log' },
  );
  return { lines, stream };
}
