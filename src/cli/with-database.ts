import type { Command } from 'commander';
import { type AppResources, createResources, openDatabase } from '../app.ts';
import type { Config } from '../config.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createLogger } from '../platform/log.ts';
import { configFor } from './load-config.ts';

/** Opens the database (embedded or external), migrates it, runs `fn`, and shuts everything down. */
export async function withDatabase<T>(
  command: Command,
  flags: Record<string, unknown>,
  fn: (res: AppResources, config: Config) => Promise<T>,
): Promise<T> {
  const config = configFor(command, flags);
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const database = await openDatabase(config, logger);
  try {
    const res = await createResources(config, database.url, { logger, poolSize: 4 });
    try {
      await migrate(res.db);
      return await fn(res, config);
    } finally {
      await res.db.end();
    }
  } finally {
    await database.stop();
  }
}
