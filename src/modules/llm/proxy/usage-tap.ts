import { StringDecoder } from 'node:string_decoder';
import type { LlmUsage } from '../gateway/types.ts';
import type { Dialect, UsageReport } from './dialect.ts';

/** A whole JSON answer larger than this is passed on but not read for usage. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Likewise one server-sent event. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * Reads usage from a response body on the side, chunk by chunk, as it is relayed: server-sent
 * events are taken whole as they come, and only those that may report usage are split and parsed;
 * a JSON answer (or Gemini's streamed JSON array) is read once at the end.
 */
export class UsageTap {
  private readonly sse: boolean;
  // Node's decoder: a TextDecoder in stream mode costs several times more per chunk.
  private readonly decoder = new StringDecoder('utf8');
  private usage: UsageReport = {};
  private pending = '';
  private event = '';
  private data: string[] = [];
  private json: Buffer[] | undefined = [];
  private jsonBytes = 0;

  constructor(
    private readonly dialect: Dialect,
    contentType: string,
  ) {
    this.sse = contentType.includes('text/event-stream');
  }

  push(chunk: Uint8Array) {
    if (!this.sse) {
      this.jsonBytes += chunk.byteLength;
      if (this.jsonBytes > MAX_JSON_BYTES) this.json = undefined;
      this.json?.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return;
    }
    this.pending += this.decoder.write(chunk);
    // Whole events only: up to the last blank line (LF or CRLF framing); the rest waits.
    const blank = Math.max(this.pending.lastIndexOf('\n\n'), this.pending.lastIndexOf('\n\r\n'));
    if (blank < 0) {
      // One event this large is no answer a client can use; its usage is not worth the memory.
      if (this.pending.length > MAX_EVENT_CHARS) this.pending = '';
      return;
    }
    const cut = blank + (this.pending.charCodeAt(blank + 1) === 10 ? 2 : 3);
    const events = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    this.events(events);
  }

  /** The usage the body reported, once it has ended; undefined when it reported none. */
  finish(): LlmUsage | undefined {
    if (this.sse) {
      // A last event without the blank line after it still counts.
      this.events(this.pending);
      this.pending = '';
    } else if (this.json?.length) {
      try {
        this.merge(this.dialect.usageOf('', JSON.parse(Buffer.concat(this.json).toString('utf8'))));
      } catch {
        // Not JSON (an HTML error page, a cut body): no usage to read.
      }
      this.json = undefined;
    }
    const { inputTokens, outputTokens, cachedInputTokens } = this.usage;
    if (inputTokens === undefined && outputTokens === undefined) return undefined;
    return {
      inputTokens: inputTokens ?? 0,
      outputTokens: outputTokens ?? 0,
      cachedInputTokens: cachedInputTokens ?? 0,
    };
  }

  /**
   * Every protocol names it "usage…" in the events that report usage, so only the events holding
   * the word are split into lines; the others (nearly all: text deltas) are passed over.
   */
  private events(text: string) {
    let from = 0;
    for (;;) {
      const at = text.indexOf('usage', from);
      if (at < 0) return;
      const before = Math.max(text.lastIndexOf('\n\n', at), text.lastIndexOf('\n\r\n', at));
      const start = before < from ? from : before + (text.charCodeAt(before + 1) === 10 ? 2 : 3);
      const end = nextBlank(text, at);
      this.lines(text.slice(start, end));
      this.line('');
      from = end;
    }
  }

  private lines(text: string) {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      this.line(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
      start = end + 1;
    }
    if (start < text.length) this.line(text.slice(start));
  }

  private line(line: string) {
    if (line === '') {
      if (this.data.length) this.dispatch(this.event, this.data.join('\n'));
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith('data:')) this.data.push(line.slice(line.charCodeAt(5) === 32 ? 6 : 5));
    else if (line.startsWith('event:')) this.event = line.slice(6).trim();
  }

  private dispatch(event: string, data: string) {
    if (!this.dialect.mayReportUsage(event, data)) return;
    try {
      this.merge(this.dialect.usageOf(event, JSON.parse(data)));
    } catch {
      // A malformed event: the client's SDK deals with it; usage stays what was reported before.
    }
  }

  private merge(report: UsageReport | undefined) {
    if (report) this.usage = { ...this.usage, ...report };
  }
}

/** The index just past the blank line that ends the event around `from`, or the text's end. */
function nextBlank(text: string, from: number): number {
  const lf = text.indexOf('\n\n', from);
  const crlf = text.indexOf('\n\r\n', from);
  if (lf < 0 && crlf < 0) return text.length;
  if (crlf < 0 || (lf >= 0 && lf < crlf)) return lf + 2;
  return crlf + 3;
}
