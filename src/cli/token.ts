import type { Command } from 'commander';
import { z } from 'zod';
import { createToken, findUserByName } from '../modules/identity/index.ts';
import { ScopeName } from '../modules/identity/schemas.ts';
import { SYSTEM_ACTOR } from '../platform/http/actor.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';
import { withDatabase } from './with-database.ts';

const TokenFlags = z.object({
  user: z.string().min(1),
  scopes: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(ScopeName).min(1)),
  name: z.string().min(1).max(100),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});

export function registerToken(program: Command) {
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token for a user; the token is printed once')
    .requiredOption('--user <name>', 'user name')
    .option('--scopes <list>', 'comma-separated scopes: read, write, admin', 'read,write')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--expires-in-days <n>', 'days until it expires (default: never)')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: Record<string, string | undefined>, command: Command) => {
      const input = parseInput(TokenFlags, opts);
      await withDatabase(command, { home: opts.home }, async (res) => {
        const user = await findUserByName(res.db, input.user.toLowerCase());
        if (!user) throw new CliError(`No user "${input.user}".`);
        const { token: value } = await createToken(
          res.db,
          res.clock,
          { actor: SYSTEM_ACTOR },
          {
            userId: user.id,
            name: input.name,
            scopes: input.scopes,
            expiresInDays: input.expiresInDays,
          },
        );
        process.stdout.write(`${value}\n`);
        process.stderr.write(
          `Token for ${user.username} with scopes ${input.scopes.join(',')}. It is shown only once.\n`,
        );
      });
    });
}
