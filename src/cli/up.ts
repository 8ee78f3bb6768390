import type { Command } from 'commander';
import { startOrchard } from '../app.ts';
import { needsAdmin } from '../modules/identity/index.ts';
import { listenError } from './listen-error.ts';
import { configFor } from './load-config.ts';
import { onShutdown } from './shutdown.ts';

function addServeOptions(command: Command) {
  return command
    .option('-p, --port <port>', 'HTTP port (ORCHARD_PORT, default 7300)')
    .option('--host <host>', 'interface to listen on (ORCHARD_HOST, default localhost)')
    .option('--home <dir>', 'data directory (ORCHARD_HOME, default ./.orchard)');
}

async function serve(
  command: Command,
  opts: { port?: string; host?: string; home?: string },
  workers: boolean,
) {
  const config = configFor(command, {
    port: opts.port,
    host: opts.host,
    home: opts.home,
    ...(workers ? {} : { 'workers.enabled': false }),
  });
  const started = Date.now();
  const orchard = await startOrchard(config).catch(async (error: unknown) => {
    throw (await listenError(error, config)) ?? error;
  });
  const mode = orchard.database.embedded ? 'embedded PostgreSQL' : 'external PostgreSQL';
  const firstRun = (await needsAdmin(orchard.resources.db))
    ? `First run: open ${orchard.url} to create the admin account.\n`
    : '';
  process.stdout.write(
    `${firstRun}Orchard is running at ${orchard.url} (${mode}, started in ${Date.now() - started} ms)\n`,
  );
  onShutdown(async () => {
    process.stdout.write('Orchard is stopping…\n');
    await orchard.close();
  });
}

export function registerUp(program: Command) {
  addServeOptions(
    program
      .command('up')
      .description(
        'run Orchard all-in-one: embedded PostgreSQL (unless DATABASE_URL), HTTP server and workers',
      ),
  ).action(async (opts, command: Command) => serve(command, opts, true));

  addServeOptions(
    program
      .command('server')
      .description('run an API server replica only (scaled mode: set DATABASE_URL, run workers separately)'),
  ).action(async (opts, command: Command) => serve(command, opts, false));
}
