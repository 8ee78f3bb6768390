import { useEffect, useRef, useState } from 'react';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

export interface EventSourceHandlers {
  /** Each message's `data` parsed as JSON (messages that are not JSON are skipped). */
  onMessage(data: unknown, id: string): void;
  /** Runs on every (re)connection, before its replayed messages. */
  onOpen?(): void;
  /**
   * Asked when the connection drops: true means "we have everything", so the browser must not
   * reconnect (operation streams end after their terminal event).
   */
  isFinished?(): boolean;
  /**
   * An `event: end` arrived (its `data` parsed). Return true when it means "you have everything"
   * (an agent session's transcript caught up once the session ended): the stream is `closed`.
   * Otherwise, or without this handler, it is `failed` (the viewer lost access).
   */
  onEnd?(data: unknown): boolean;
}

/**
 * Follows a server-sent event stream while `url` is set. The browser's EventSource reconnects on
 * its own and sends Last-Event-ID, so the server replays what was missed. Same origin: the session
 * cookie goes with it. `event` names a typed event (`event: log`); the default is unnamed messages.
 */
export function useEventSource(
  url: string | null,
  handlers: EventSourceHandlers,
  options: { event?: string; restartKey?: number } = {},
): StreamState {
  const event = options.event ?? 'message';
  const [state, setState] = useState<StreamState>('connecting');
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  // biome-ignore lint/correctness/useExhaustiveDependencies: restartKey asks for a fresh connection to the same URL
  useEffect(() => {
    if (!url) {
      setState('closed');
      return;
    }
    setState('connecting');
    const source = new EventSource(url, { withCredentials: true });
    const onMessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      handlersRef.current.onMessage(data, message.lastEventId);
    };
    source.addEventListener(event, onMessage as EventListener);
    // `event: end`: the viewer lost access (a reconnect would be refused), or everything was sent.
    const onEnd = (message: MessageEvent<string>) => {
      source.close();
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = undefined;
      }
      setState(handlersRef.current.onEnd?.(data) ? 'closed' : 'failed');
    };
    source.addEventListener('end', onEnd as EventListener);
    source.onopen = () => {
      setState('open');
      handlersRef.current.onOpen?.();
    };
    source.onerror = () => {
      if (handlersRef.current.isFinished?.()) {
        source.close();
        setState('closed');
      } else if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream (401, 403, 404): EventSource does not retry those.
        setState('failed');
      } else {
        setState('reconnecting');
      }
    };
    return () => {
      source.removeEventListener(event, onMessage as EventListener);
      source.removeEventListener('end', onEnd as EventListener);
      source.close();
    };
  }, [url, event, options.restartKey]);

  return state;
}
