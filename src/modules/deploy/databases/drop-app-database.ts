import pg from 'pg';
import type { DeployDeps } from '../deps.ts';
import { withAdminConnection } from './admin-connection.ts';
import type { AppDatabaseServer } from './app-database-server.ts';
import { type AppDatabaseRow, markAppDatabase } from './app-database-store.ts';

/**
 * Drops an app's database (its connections ended first) and its role, and records when. A
 * database on another server than the configured one is left, with the reason on its row.
 */
export async function dropAppDatabase(
  deps: Pick<DeployDeps, 'db' | 'clock'>,
  server: AppDatabaseServer,
  row: AppDatabaseRow,
): Promise<void> {
  if (row.server !== server.name) {
    const error = `it is on ${row.server}, but apps' databases now go on ${server.name}: drop it there by hand`;
    await markAppDatabase(deps.db, row.id, { error });
    throw new Error(error);
  }
  const ident = pg.escapeIdentifier(row.name);
  try {
    await withAdminConnection(server.adminUrl, { lock: row.name }, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${ident}`);
    });
  } catch (error) {
    await markAppDatabase(deps.db, row.id, { error: (error as Error).message });
    throw error;
  }
  await markAppDatabase(deps.db, row.id, { status: 'dropped', now: deps.clock.now() });
}
