import type { Queryable } from '../../../platform/db/pool.ts';
import { RateLimitedError } from '../../../platform/errors.ts';
import type { Logger } from '../../../platform/log.ts';
import type { LogRow, MetricPointRow, SpanRow } from '../telemetry-rows.ts';
import { insertLogs, insertMetricPoints, insertSpans } from './telemetry-store.ts';

/** Called after rows are committed (errors are caught and logged): error reporting hooks in here. */
export interface TelemetryListener {
  spans?(rows: SpanRow[]): void | Promise<void>;
  logs?(rows: LogRow[]): void | Promise<void>;
}

export interface TelemetryWriterOptions {
  db: Queryable;
  logger: Logger;
  /** Records accepted and not yet committed; a write past it is refused with RateLimitedError. */
  maxQueued: number;
  /** Statements in flight at once (each on its own connection). */
  concurrency: number;
  /** Rows per INSERT at most. */
  maxBatchRows?: number;
  listeners?: readonly TelemetryListener[];
}

interface Table<Row> {
  insert(db: Queryable, rows: readonly Row[]): Promise<void>;
  notify?(listener: TelemetryListener, rows: Row[]): void | Promise<void>;
}

const TABLES = {
  spans: { insert: insertSpans, notify: (l, rows) => l.spans?.(rows) } satisfies Table<SpanRow>,
  logs: { insert: insertLogs, notify: (l, rows) => l.logs?.(rows) } satisfies Table<LogRow>,
  metrics: { insert: insertMetricPoints } satisfies Table<MetricPointRow>,
};
type Kind = keyof typeof TABLES;
type RowOf<K extends Kind> = Parameters<(typeof TABLES)[K]['insert']>[1][number];

interface Pending {
  rows: unknown[];
  done(error?: Error): void;
}

/**
 * The ingest's bounded queue in front of the telemetry tables. `write` resolves once its rows are
 * committed (so an answered export is never lost) or rejects with the database's error; requests
 * that arrive while a statement runs are written together by the next one. Past `maxQueued`
 * records a write is refused at once (429 + Retry-After) rather than letting memory grow.
 */
export class TelemetryWriter {
  private queued = 0;
  private readonly pending: Record<Kind, Pending[]> = { spans: [], logs: [], metrics: [] };
  private running = 0;
  private closed = false;
  private readonly idle = new Set<() => void>();
  private readonly maxBatchRows: number;

  constructor(private readonly o: TelemetryWriterOptions) {
    this.maxBatchRows = o.maxBatchRows ?? 4_000;
  }

  /** Records waiting or being written. */
  get depth(): number {
    return this.queued;
  }

  writeSpans(rows: SpanRow[]): Promise<void> {
    return this.write('spans', rows);
  }

  writeLogs(rows: LogRow[]): Promise<void> {
    return this.write('logs', rows);
  }

  writeMetricPoints(rows: MetricPointRow[]): Promise<void> {
    return this.write('metrics', rows);
  }

  private write<K extends Kind>(kind: K, rows: RowOf<K>[]): Promise<void> {
    if (!rows.length) return Promise.resolve();
    if (this.closed) return Promise.reject(new RateLimitedError('Orchard is shutting down.', 5));
    if (this.queued + rows.length > this.o.maxQueued)
      return Promise.reject(
        new RateLimitedError(
          `The telemetry queue is full (${this.queued} records waiting to be written); retry later.`,
          1,
        ),
      );
    this.queued += rows.length;
    return new Promise<void>((resolve, reject) => {
      this.pending[kind].push({ rows, done: (error) => (error ? reject(error) : resolve()) });
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.o.concurrency) {
      const kind = (Object.keys(this.pending) as Kind[]).find((k) => this.pending[k].length);
      if (!kind) break;
      const batch = this.take(kind);
      this.running++;
      void this.flush(kind, batch).finally(() => {
        this.running--;
        this.pump();
        if (!this.running) for (const wake of this.idle) wake();
      });
    }
  }

  /** Whole requests, up to maxBatchRows rows (a larger request alone). */
  private take(kind: Kind): Pending[] {
    const queue = this.pending[kind];
    const batch: Pending[] = [];
    let rows = 0;
    while (queue.length && (!batch.length || rows + queue[0]!.rows.length <= this.maxBatchRows)) {
      const next = queue.shift()!;
      rows += next.rows.length;
      batch.push(next);
    }
    return batch;
  }

  private async flush(kind: Kind, batch: Pending[]): Promise<void> {
    const rows = batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows);
    const table = TABLES[kind] as Table<unknown>;
    try {
      await table.insert(this.o.db, rows);
    } catch (error) {
      // One request's rows must not fail the others written with it: each again on its own.
      if (batch.length > 1) {
        for (const p of batch) await this.flush(kind, [p]);
        return;
      }
      this.queued -= rows.length;
      this.o.logger.error({ err: error, kind, rows: rows.length }, 'telemetry rows could not be written');
      batch[0]!.done(error as Error);
      return;
    }
    this.queued -= rows.length;
    for (const p of batch) p.done();
    // Listeners run beside the next statements, not in front of them.
    if (table.notify && this.o.listeners?.length) void this.notify(kind, table, rows);
  }

  private async notify(kind: Kind, table: Table<unknown>, rows: unknown[]) {
    for (const listener of this.o.listeners ?? []) {
      try {
        await table.notify?.(listener, rows);
      } catch (error) {
        this.o.logger.error({ err: error, kind }, 'a telemetry listener failed');
      }
    }
  }

  /** Refuses new writes and waits for those accepted to be committed. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || Object.values(this.pending).some((q) => q.length)) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.idle.delete(wake);
          resolve();
        };
        this.idle.add(wake);
      });
    }
  }
}
