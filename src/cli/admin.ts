import type { Command } from 'commander';
import { createUser, revokeAllSessions } from '../modules/identity/index.ts';
import { CreateUserBody } from '../modules/identity/schemas.ts';
import { SYSTEM_ACTOR } from '../platform/http/actor.ts';
import { parseInput } from './parse-input.ts';
import { withDatabase } from './with-database.ts';

export function registerAdmin(program: Command) {
  const admin = program.command('admin').description('manage instance administrators');
  admin
    .command('create')
    .description('create an instance admin account')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--password <password>', 'password (at least 10 characters)')
    .option('--username <name>', 'user name', 'admin')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(
      async (
        opts: { email: string; password: string; username: string; home?: string },
        command: Command,
      ) => {
        const input = parseInput(CreateUserBody, { ...opts, role: 'admin' }, '--');
        await withDatabase(command, { home: opts.home }, async (res) => {
          const user = await createUser(res.db, { actor: SYSTEM_ACTOR }, input);
          process.stdout.write(`Created admin ${user.username} <${user.email}>\n`);
        });
      },
    );
  admin
    .command('revoke-sessions')
    .description('sign everyone out: end every session on every server (API tokens keep working)')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: { home?: string }, command: Command) => {
      await withDatabase(command, { home: opts.home }, async (res) => {
        const { revoked } = await revokeAllSessions(res.db, { actor: SYSTEM_ACTOR });
        process.stdout.write(`Ended ${revoked} sessions: everyone signs in again on their next request.\n`);
      });
    });
}
