import type { DeployFixture } from '../../../../test/support/deploy-fixture.ts';
import type { AppDatabaseRow } from './app-database-store.ts';
import { dropAppDatabase } from './drop-app-database.ts';

/**
 * Ends a databases test: stops its apps, drops every database it made on the apps' server (Orchard
 * itself never drops staging's or production's), and closes the fixture.
 */
export async function closeDroppingDatabases(f: DeployFixture | undefined): Promise<void> {
  if (!f) return;
  await f.t.res.deploy.stop();
  const { rows } = await f.t.res.db.query<AppDatabaseRow>(
    `SELECT * FROM app_databases WHERE status <> 'dropped'`,
  );
  for (const row of rows)
    await dropAppDatabase(f.t.res.deploy.deps, f.t.res.deploy.deps.appDatabases!, row).catch(() => undefined);
  await f.close();
}
