import type { Queryable } from '../../platform/db/pool.ts';
import { StreamMasker } from '../secrets/index.ts';
import { appendLogChunk } from './store.ts';

const FLUSH_MS = 300;
const FLUSH_BYTES = 32 * 1024;
/** A job that prints more than this keeps running, but its log is cut (and says so). */
const MAX_LOG_BYTES = 16 * 1024 * 1024;
/** Live events carry at most this much of one line (the stored log keeps it whole). */
const MAX_LIVE_LINE = 8 * 1024;

/**
 * A job's log: output is masked (secret values become `***`, even when split across chunks),
 * split into lines for the live event stream (`ctx.log`), and stored in numbered chunks so the
 * logs API can page through it while the job runs.
 */
export class JobLog {
  private readonly maskers: Record<'stdout' | 'stderr', StreamMasker>;
  private readonly partial = { stdout: '', stderr: '' };
  private buffer = '';
  private seq = 0;
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly jobId: string,
    secrets: string[],
    private readonly live: (line: string, stream: 'stdout' | 'stderr') => void,
  ) {
    this.maskers = { stdout: new StreamMasker(secrets), stderr: new StreamMasker(secrets) };
  }

  /** Continues numbering after chunks an earlier attempt stored. */
  startAt(seq: number) {
    this.seq = seq;
  }

  write(chunk: Buffer | string, stream: 'stdout' | 'stderr' = 'stdout') {
    this.lines(this.maskers[stream].push(chunk.toString()), stream);
  }

  /**
   * A line from Orchard itself (step headers, results; never secrets). The command's output is
   * complete by then, so what the maskers hold back is released first and the order stays true.
   */
  note(text: string) {
    this.drain();
    this.lines(`${text}\n`, 'stdout');
  }

  private drain() {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.maskers[stream].flush();
      this.partial[stream] = '';
      if (rest) this.lines(`${rest}\n`, stream);
    }
  }

  private lines(text: string, stream: 'stdout' | 'stderr') {
    const all = this.partial[stream] + text;
    const cut = all.lastIndexOf('\n');
    this.partial[stream] = all.slice(cut + 1);
    if (cut < 0) return;
    for (const line of all.slice(0, cut).split('\n')) {
      this.live(line.length > MAX_LIVE_LINE ? `${line.slice(0, MAX_LIVE_LINE)}…` : line, stream);
      this.append(`${line}\n`);
    }
  }

  private append(text: string) {
    if (this.size >= MAX_LOG_BYTES) return;
    this.size += text.length;
    this.buffer += this.size >= MAX_LOG_BYTES ? `${text}… log truncated at ${MAX_LOG_BYTES} bytes\n` : text;
    if (this.buffer.length >= FLUSH_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is buffered; chunks are written in order. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer) {
      const text = this.buffer;
      const seq = ++this.seq;
      this.buffer = '';
      this.writing = this.writing
        .then(() => appendLogChunk(this.db, this.jobId, seq, text))
        .catch(() => undefined);
    }
    return this.writing;
  }

  /** Flushes the maskers' held-back tails and every partial line, then the buffer. */
  async close() {
    this.drain();
    await this.flush();
  }
}
