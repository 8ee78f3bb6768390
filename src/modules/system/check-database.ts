import { pendingMigrations } from '../../platform/db/migrate.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import type { DatabaseHandle, MachineCheck } from './machine-check.ts';

/** The server's version and the migrations not applied yet; throws when the database does not answer. */
export async function probeDatabase(db: Queryable): Promise<{ version: string; pending: string[] }> {
  const { rows } = await db.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
  return { version: rows[0]!.version.split(' ')[0]!, pending: await pendingMigrations(db) };
}

export const databaseCheck: MachineCheck = {
  id: 'database',
  title: 'Database',
  timeoutMs: 30_000,
  async run(ctx) {
    let opened: Awaited<ReturnType<typeof ctx.database>>;
    try {
      opened = await ctx.database();
    } catch (error) {
      return {
        status: 'fail',
        summary: `the database cannot be reached: ${(error as Error).message}`,
        fix: ctx.config.databaseUrl
          ? 'Check that PostgreSQL runs and that DATABASE_URL (host, port, user, password, database) is right.'
          : 'Start Orchard once with orchard up (it starts its embedded PostgreSQL), or set DATABASE_URL.',
      };
    }
    if ('unavailable' in opened) return opened.unavailable;
    return inspect(opened);
  },
};

async function inspect(opened: DatabaseHandle) {
  const where = opened.kind === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL';
  try {
    const { version, pending } = await probeDatabase(opened.db);
    if (pending.length) {
      return {
        status: 'fail' as const,
        summary: `${where} ${version} is reachable but ${pending.length} migration(s) are not applied (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''})`,
        fix: 'orchard migrate (orchard up also applies them at start)',
      };
    }
    return { status: 'ok' as const, summary: `${where} ${version}, migrations applied` };
  } finally {
    await opened.release();
  }
}
