import type { Config } from '../config.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/pool.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/**
 * The infrastructure bag the composition root (app.ts) builds once and passes down. Modules add
 * their own services beside it; nothing here knows any module.
 */
export interface Resources {
  config: Config;
  logger: Logger;
  db: Db;
  /** The database URL (for LISTEN connections and child processes). */
  databaseUrl: string;
  clock: Clock;
  metrics: Metrics;
  /** Spans for the whole process (TRACING_OFF without an OTLP endpoint). */
  tracing: Tracing;
}
