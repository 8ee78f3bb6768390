/**
 * Aggregates high-rate text (log lines, LLM token deltas) so that at most one row per stream is
 * written per interval: the first chunk goes out at once, later ones are batched until the interval
 * since the last write has passed, and a stream never has two writes in flight, so rows keep their
 * order. When a stream outruns the store, the oldest buffered text is dropped and the next row says
 * how much.
 */
export interface CoalescerOptions {
  /** Minimum time between two writes of one stream (default 50 ms). */
  intervalMs?: number;
  /** Buffered text per stream beyond which the oldest is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  onError?: (error: unknown) => void;
}

export type CoalescedWrite = (stream: string, text: string, dropped: number) => Promise<void>;

interface Pending {
  chunks: string[];
  bytes: number;
  dropped: number;
  lastWrite: number;
  timer?: NodeJS.Timeout;
  writing?: Promise<void>;
}

export class EventCoalescer {
  private readonly streams = new Map<string, Pending>();
  private readonly intervalMs: number;
  private readonly maxBytes: number;

  constructor(
    private readonly write: CoalescedWrite,
    private readonly options: CoalescerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50;
    this.maxBytes = options.maxBufferedBytes ?? 1024 * 1024;
  }

  /** Adds text to `stream`; it is written within about one interval. */
  append(stream: string, text: string) {
    let p = this.streams.get(stream);
    if (!p) {
      p = { chunks: [], bytes: 0, dropped: 0, lastWrite: -Infinity };
      this.streams.set(stream, p);
    }
    p.chunks.push(text);
    p.bytes += text.length;
    while (p.bytes > this.maxBytes && p.chunks.length > 1) {
      p.bytes -= p.chunks.shift()!.length;
      p.dropped += 1;
    }
    this.schedule(stream, p);
  }

  /** Writes everything buffered now, ignoring the interval (e.g. before a step reports its result). */
  async flush(): Promise<void> {
    for (const [stream, p] of this.streams) {
      while (p.writing || p.chunks.length) {
        if (p.writing) await p.writing;
        else this.writeNow(stream, p);
      }
    }
  }

  private schedule(stream: string, p: Pending) {
    if (p.timer || p.writing || p.chunks.length === 0) return;
    const wait = Math.max(0, p.lastWrite + this.intervalMs - Date.now());
    p.timer = setTimeout(() => {
      p.timer = undefined;
      this.writeNow(stream, p);
    }, wait);
  }

  private writeNow(stream: string, p: Pending) {
    if (p.writing || p.chunks.length === 0) return;
    clearTimeout(p.timer);
    p.timer = undefined;
    const text = p.chunks.join('\n');
    const dropped = p.dropped;
    p.chunks = [];
    p.bytes = 0;
    p.dropped = 0;
    p.lastWrite = Date.now();
    p.writing = this.write(stream, text, dropped)
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        p.writing = undefined;
        this.schedule(stream, p);
      });
  }
}
