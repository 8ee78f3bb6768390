/** The types of one server-sent-events stream, apart from the helper that opens it (the stream guard needs them too). */
/** One server-sent event. `data` is sent as is (callers JSON-encode); newlines are split into lines. */
export interface SseMessage {
  id?: string | number;
  event?: string;
  data: string;
}

export interface SseStream {
  /** Queues an event; false when the stream is closed or the event overflowed the buffer. */
  send(message: SseMessage): boolean;
  /** Resolves when everything queued has been handed to the socket (or the stream closed). */
  drained(): Promise<void>;
  /** Ends the response once what is queued has gone out. */
  close(): void;
  /** Drops the connection at once. */
  destroy(): void;
  /**
   * Sends `message` as the stream's last word, dropping whatever is still queued, and ends the
   * response (used when the client lost the right to see more).
   */
  end(message: SseMessage): void;
  /** Holds back everything sent from now on (queued, within the buffer bound) until `resume()`. */
  pause(): void;
  resume(): void;
  readonly closed: boolean;
  /** Aborted when the client disconnects or the stream is closed. */
  readonly signal: AbortSignal;
  /** Runs when the buffer overflowed, with the id of the last event that reached the socket. */
  onOverflow?: (lastSentId: string | number | undefined) => void;
}
