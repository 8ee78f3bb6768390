import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { AttemptRecord } from './attempt-record.ts';
import { insertAttempts } from './call-store.ts';

/** Spend booked to an agent session that is not in `llm_calls` yet. */
export interface UnwrittenSpend {
  tokens: number;
  costUsd: number;
}

export interface CallRecorderOptions {
  /**
   * How long the first row of a batch waits for others (ms). One statement for many rows costs
   * the database and this process far less than a statement per row; readers that must not miss
   * a row (the budget gate) add `unwrittenSpend`, and `flush()` writes at once.
   */
  lingerMs?: number;
  /** Rows per statement. */
  batchRows?: number;
  /** First wait before writing again after the database failed (doubles up to `maxRetryMs`). */
  retryMs?: number;
  maxRetryMs?: number;
  /** Rows held while the database is away; past this the oldest are given up, loudly. */
  maxQueuedRows?: number;
}

const DEFAULTS = {
  lingerMs: 10,
  batchRows: 200,
  retryMs: 250,
  maxRetryMs: 30_000,
  maxQueuedRows: 100_000,
} satisfies Required<CallRecorderOptions>;

/**
 * Writes `llm_calls` rows off the request path: a call never waits for its record. Rows are
 * gathered for a few milliseconds and go out together. A row is never dropped while the process
 * runs: when the database is away the rows wait and the write is tried again with backoff; a
 * row the database refuses (bad data) is written alone so it cannot take others down with it.
 */
export class CallRecorder {
  private queue: AttemptRecord[] = [];
  private readonly unwritten = new Map<string, UnwrittenSpend & { rows: number }>();
  private readonly options: Required<CallRecorderOptions>;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<boolean> | null = null;
  private retryDelayMs = 0;
  private failedSince: number | undefined;

  constructor(
    private readonly db: Queryable | undefined,
    private readonly logger: Logger,
    options: CallRecorderOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  add(record: AttemptRecord) {
    if (!this.db) return;
    if (this.queue.length >= this.options.maxQueuedRows) this.giveUpOldest();
    this.queue.push(record);
    const sessionId = record.context.agentSessionId;
    if (sessionId) {
      const spend = this.unwritten.get(sessionId) ?? { tokens: 0, costUsd: 0, rows: 0 };
      spend.tokens += record.usage.inputTokens + record.usage.outputTokens;
      spend.costUsd += record.costUsd ?? 0;
      spend.rows += 1;
      this.unwritten.set(sessionId, spend);
    }
    this.writeSoon(this.queue.length >= this.options.batchRows ? 0 : this.options.lingerMs);
  }

  /**
   * What is booked to `agentSessionId` but not yet written. Read it before querying `llm_calls`:
   * a row leaves this only once it is committed, so the two together never miss one.
   */
  unwrittenSpend(agentSessionId: string): UnwrittenSpend {
    const spend = this.unwritten.get(agentSessionId);
    return spend ? { tokens: spend.tokens, costUsd: spend.costUsd } : { tokens: 0, costUsd: 0 };
  }

  /** Writes what is queued now; resolves once it is written, or once a try failed (rows kept). */
  async flush(): Promise<void> {
    while (this.queue.length || this.writing) {
      if (!(await this.write())) return;
    }
  }

  private writeSoon(delayMs: number) {
    if (this.writing || (this.timer && delayMs > 0)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.write(), delayMs);
  }

  /** Writes the queue, batch by batch; false when the database failed (the rows are kept). */
  private write(): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing ??= this.drain().finally(() => {
      this.writing = null;
      // Rows kept after a failure wait for the retry; rows added meanwhile were written too.
      if (this.queue.length) this.writeSoon(this.retryDelayMs || this.options.lingerMs);
    });
    return this.writing;
  }

  private async drain(): Promise<boolean> {
    const db = this.db!;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.batchRows);
      const failure = await tryInsert(db, batch);
      if (failure && !isRowError(failure)) {
        this.queue.unshift(...batch);
        this.failed(failure, this.queue.length);
        return false;
      }
      if (failure && !(await this.writeOneByOne(db, batch))) return false;
      if (!failure) for (const row of batch) this.written(row);
      this.recovered();
    }
    return true;
  }

  /** A batch the database refused for its data: each row alone, so only a bad row is lost. */
  private async writeOneByOne(db: Queryable, batch: AttemptRecord[]): Promise<boolean> {
    for (const [i, row] of batch.entries()) {
      const failure = await tryInsert(db, [row]);
      if (failure && !isRowError(failure)) {
        this.queue.unshift(...batch.slice(i));
        this.failed(failure, this.queue.length);
        return false;
      }
      this.written(row);
      if (failure) {
        this.logger.error(
          {
            err: { message: failure.message, code: (failure as { code?: string }).code },
            callId: row.callId,
          },
          'the database refused an LLM attempt row; it is not recorded',
        );
      }
    }
    return true;
  }

  private giveUpOldest() {
    const lost = this.queue.splice(0, this.queue.length - this.options.maxQueuedRows + 1);
    for (const row of lost) this.written(row);
    this.logger.error(
      { rows: lost.length, callIds: lost.slice(0, 5).map((r) => r.callId) },
      'LLM attempt rows given up: the database has been away too long to hold more',
    );
  }

  /** The row is in the table (or given up): its spend is no longer the recorder's to report. */
  private written(row: AttemptRecord) {
    const sessionId = row.context.agentSessionId;
    const spend = sessionId ? this.unwritten.get(sessionId) : undefined;
    if (!sessionId || !spend) return;
    spend.rows -= 1;
    spend.tokens -= row.usage.inputTokens + row.usage.outputTokens;
    spend.costUsd -= row.costUsd ?? 0;
    if (spend.rows <= 0) this.unwritten.delete(sessionId);
  }

  private failed(error: Error, rows: number) {
    this.retryDelayMs = Math.min(
      this.options.maxRetryMs,
      this.retryDelayMs ? this.retryDelayMs * 2 : this.options.retryMs,
    );
    this.failedSince ??= Date.now();
    this.logger.warn(
      { err: { message: error.message }, rows, retryInMs: this.retryDelayMs },
      'could not record LLM attempts; they are kept and written again',
    );
  }

  private recovered() {
    if (this.failedSince === undefined) return;
    this.logger.info(
      { waitedMs: Date.now() - this.failedSince },
      'LLM attempt rows that waited for the database are written',
    );
    this.failedSince = undefined;
    this.retryDelayMs = 0;
  }
}

function tryInsert(db: Queryable, rows: AttemptRecord[]): Promise<Error | undefined> {
  return insertAttempts(db, rows).then(
    () => undefined,
    (error: Error) => error,
  );
}

/** PostgreSQL refused the values (class 22 data exception, 23 constraint): trying again cannot help. */
function isRowError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
