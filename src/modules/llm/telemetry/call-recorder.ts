import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { AttemptRecord } from './attempt-record.ts';
import { insertAttempts } from './call-store.ts';

/**
 * Writes `llm_calls` rows off the streaming path: a call never waits for its record. Rows that
 * pile up while a write runs go out together in the next statement. `flush()` waits for all.
 */
export class CallRecorder {
  private queue: AttemptRecord[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable | undefined,
    private readonly logger: Logger,
  ) {}

  add(record: AttemptRecord) {
    if (!this.db) return;
    this.queue.push(record);
    this.writing ??= this.drain(this.db);
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(db: Queryable) {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, 200);
        await insertAttempts(db, batch).catch((error: Error) => {
          this.logger.warn(
            { err: { message: error.message }, rows: batch.length },
            'could not record LLM attempts',
          );
        });
      }
    } finally {
      this.writing = null;
    }
  }
}
