import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';

export type LogStream = 'stdout' | 'stderr' | 'orchard';

export interface LogLine {
  seq: number;
  at: string;
  stream: LogStream;
  text: string;
}

/** Lines kept in memory per environment; the file keeps more (up to MAX_FILE_BYTES, then one rotation). */
const CAPACITY = 2_000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_LINE = 8_192;

/**
 * An environment's log: app output and the supervisor's own notes, in a bounded ring buffer (for
 * the API and live followers) and appended to `<home>/logs/<slug>/<env label>.log`.
 */
export class AppLog {
  private readonly lines: LogLine[] = [];
  private readonly partial: Record<string, string> = {};
  private readonly followers = new Set<(line: LogLine) => void>();
  private seq = 0;
  private file: WriteStream | undefined;
  private fileBytes = 0;
  private opening: Promise<void> | undefined;

  constructor(
    readonly filePath: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends a chunk of output; lines are split on newlines, a trailing partial line waits for the rest. */
  write(stream: 'stdout' | 'stderr', chunk: string) {
    const text = (this.partial[stream] ?? '') + chunk;
    const parts = text.split(/\r?\n/);
    this.partial[stream] = parts.pop() ?? '';
    if (this.partial[stream]!.length > MAX_LINE) {
      parts.push(this.partial[stream]!);
      this.partial[stream] = '';
    }
    for (const line of parts) this.push(stream, line);
  }

  /** Writes what is still held back of unterminated lines (when the process ends). */
  flush() {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push(stream, this.partial[stream]!);
      this.partial[stream] = '';
    }
  }

  /** A line from Orchard itself (starting, healthy, switched, crashed …). */
  note(text: string) {
    this.push('orchard', text);
  }

  /** The sequence number of the newest line (0 when empty). */
  get lastSeq(): number {
    return this.seq;
  }

  tail(n: number): LogLine[] {
    return this.lines.slice(-n);
  }

  /** Calls `fn` with every line from now on; returns the unsubscribe function. */
  follow(fn: (line: LogLine) => void): () => void {
    this.followers.add(fn);
    return () => this.followers.delete(fn);
  }

  async close() {
    this.flush();
    await this.opening;
    const file = this.file;
    this.file = undefined;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }

  private push(stream: LogStream, raw: string) {
    const line: LogLine = {
      seq: ++this.seq,
      at: this.now().toISOString(),
      stream,
      text: raw.slice(0, MAX_LINE),
    };
    this.lines.push(line);
    if (this.lines.length > CAPACITY) this.lines.splice(0, this.lines.length - CAPACITY);
    this.append(`${line.at} ${stream} ${line.text}\n`);
    for (const fn of this.followers) fn(line);
  }

  private append(text: string) {
    if (!this.file) {
      this.opening ??= this.open();
      void this.opening.then(() => this.append(text));
      return;
    }
    this.fileBytes += Buffer.byteLength(text);
    this.file.write(text);
    if (this.fileBytes > MAX_FILE_BYTES) {
      const old = this.file;
      this.file = undefined;
      this.opening = undefined;
      old.end(() => void rename(this.filePath, `${this.filePath}.1`).catch(() => undefined));
    }
  }

  private async open() {
    await mkdir(path.dirname(this.filePath), { recursive: true });
    this.fileBytes = await stat(this.filePath).then(
      (s) => s.size,
      () => 0,
    );
    this.file = createWriteStream(this.filePath, { flags: 'a' });
    this.file.on('error', () => undefined);
  }
}

/** Parses a log file line back (`<iso> <stream> <text>`). */
export function parseLogFileLine(line: string, seq: number): LogLine | undefined {
  const match = /^(\S+) (stdout|stderr|orchard) (.*)$/.exec(line);
  if (!match) return undefined;
  return { seq, at: match[1]!, stream: match[2] as LogStream, text: match[3]! };
}
