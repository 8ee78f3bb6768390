import type { LlmUsage } from '../gateway/types.ts';
import type { Dialect, UsageReport } from './dialect.ts';

/** A whole JSON answer larger than this is passed on but not read for usage. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Reads usage from a response body on the side, chunk by chunk, as it is relayed: server-sent
 * events are split as they come and only those that may report usage are parsed; a JSON answer
 * (or Gemini's streamed JSON array) is read once at the end.
 */
export class UsageTap {
  private readonly sse: boolean;
  private readonly decoder = new TextDecoder();
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
    this.pending += this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const end = this.pending.indexOf('\n', start);
      if (end < 0) break;
      const line =
        this.pending.charCodeAt(end - 1) === 13
          ? this.pending.slice(start, end - 1)
          : this.pending.slice(start, end);
      start = end + 1;
      this.line(line);
    }
    this.pending = this.pending.slice(start);
  }

  /** The usage the body reported, once it has ended; undefined when it reported none. */
  finish(): LlmUsage | undefined {
    if (this.sse) {
      this.line(this.pending);
      this.line('');
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
