import { UnavailableError } from '../../../platform/errors.ts';
import type { ProjectRow } from '../../projects/index.ts';
import type { DeployDeps } from '../deps.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import type { ReleaseRow } from '../releases/release-store.ts';
import { noServerReason } from './app-database-server.ts';
import { type AppDatabaseBackupRow, findLiveAppDatabase } from './app-database-store.ts';
import { backUpAppDatabase } from './back-up-app-database.ts';

/**
 * Before production gets a new release (whose migration then runs): a backup of production's
 * database, when it has one, noted in its log. A backup that cannot be taken stops the publish
 * (503): nothing changes in production without one.
 */
export async function backUpBeforePublish(
  deps: DeployDeps,
  project: ProjectRow,
  release: ReleaseRow,
): Promise<AppDatabaseBackupRow | undefined> {
  const production = await findEnvironmentByName(deps.db, project.id, 'production');
  const row = production && (await findLiveAppDatabase(deps.db, production.id));
  if (!production || row?.status !== 'ready') return undefined;
  const short = release.sha.slice(0, 7);
  const why = !deps.appDatabases
    ? noServerReason(deps.config)
    : !deps.blobs
      ? 'no blob store here'
      : undefined;
  if (why || !deps.appDatabases || !deps.blobs)
    throw new UnavailableError(
      `Production's database ${row.name} cannot be backed up (${why}), so release ${short} was not published.`,
    );
  let backup: AppDatabaseBackupRow;
  try {
    backup = await backUpAppDatabase({ ...deps, blobs: deps.blobs }, deps.appDatabases, production, row, {
      beforeRelease: release,
    });
  } catch (error) {
    throw new UnavailableError(
      `Production's database ${row.name} could not be backed up (${(error as Error).message}), so release ${short} was not published; try again once its server answers.`,
    );
  }
  const note = `▣ Backed up the database ${row.name} before publishing release ${short}: ${backup.tables} tables, ${backup.rows} rows in ${backup.blob_key}`;
  deps.supervisor?.logOf(production.id)?.note(note);
  deps.logger.info(
    { project: project.slug, database: row.name, backup: backup.blob_key, rows: backup.rows },
    "deploy: backed up production's database before publishing",
  );
  return backup;
}
