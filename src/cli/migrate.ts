import type { Command } from 'commander';
import { createResources, openDatabase } from '../app.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createLogger } from '../platform/log.ts';
import { configFor } from './load-config.ts';

export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('apply pending database migrations (also done automatically at start)')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: { home?: string }, command: Command) => {
      const config = configFor(command, { home: opts.home });
      const logger = createLogger({ level: 'warn' });
      const database = await openDatabase(config, logger);
      try {
        const res = await createResources(config, database.url, { logger, poolSize: 2 });
        try {
          const applied = await migrate(res.db);
          process.stdout.write(
            applied.length ? `Applied ${applied.join(', ')}\n` : 'Database is up to date.\n',
          );
        } finally {
          await res.db.end();
        }
      } finally {
        await database.stop();
      }
    });
}
