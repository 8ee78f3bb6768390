import type { DeployDeps } from '../deps.ts';
import type { EnvironmentRow } from '../environment-store.ts';
import {
  type AppDatabaseRow,
  findLiveAppDatabase,
  markAppDatabase,
  orphanedPreviewDatabases,
} from './app-database-store.ts';
import { dropAppDatabase } from './drop-app-database.ts';

/**
 * A removed preview's database and role go with it (staging's and production's are never dropped
 * here). A drop that fails (the server away) is logged and left on the row; the reconciler's sweep
 * tries again.
 */
export async function dropPreviewDatabase(
  deps: DeployDeps,
  env: Pick<EnvironmentRow, 'id' | 'kind' | 'name'>,
): Promise<boolean> {
  if (env.kind !== 'preview') return false;
  const row = await findLiveAppDatabase(deps.db, env.id);
  return row ? drop(deps, row) : false;
}

/** Live databases of previews that are gone: dropped now (the sweep). Returns their names. */
export async function dropOrphanedPreviewDatabases(deps: DeployDeps): Promise<string[]> {
  const dropped: string[] = [];
  for (const row of await orphanedPreviewDatabases(deps.db))
    if (await drop(deps, row)) dropped.push(row.name);
  return dropped;
}

async function drop(deps: DeployDeps, row: AppDatabaseRow): Promise<boolean> {
  const where = { database: row.name, environment: row.environment_name, environmentId: row.environment_id };
  if (!deps.appDatabases) {
    await markAppDatabase(deps.db, row.id, {
      error: 'not dropped: no server for apps’ databases is configured here (appDatabases.serverUrl)',
    });
    deps.logger.warn(where, 'deploy: a removed preview’s database was not dropped: no server configured');
    return false;
  }
  try {
    await dropAppDatabase(deps, deps.appDatabases, row);
    deps.logger.info(where, 'deploy: dropped a removed preview’s database and role');
    return true;
  } catch (error) {
    deps.logger.warn({ ...where, err: error }, 'deploy: dropping a removed preview’s database failed');
    return false;
  }
}
