import type { Queryable } from '../../../platform/db/pool.ts';
import { findLiveAppDatabase, listAppDatabaseBackups } from './app-database-store.ts';

/** An environment's database as others may see it: never its password or a URL. */
export interface AppDatabaseView {
  name: string;
  server: string;
  status: 'creating' | 'ready' | 'dropped';
  lastError: string | null;
  createdAt: Date;
  readyAt: Date | null;
  backups: Array<{
    blobKey: string;
    size: number;
    tables: number;
    rows: number;
    beforeReleaseId: string | null;
    createdAt: Date;
  }>;
}

/** The environment's live database and its backups, newest first (the services catalog shows them). */
export async function findAppDatabase(
  db: Queryable,
  environmentId: string,
): Promise<AppDatabaseView | undefined> {
  const row = await findLiveAppDatabase(db, environmentId);
  if (!row) return undefined;
  const backups = await listAppDatabaseBackups(db, environmentId);
  return {
    name: row.name,
    server: row.server,
    status: row.status,
    lastError: row.last_error,
    createdAt: row.created_at,
    readyAt: row.ready_at,
    backups: backups.map((b) => ({
      blobKey: b.blob_key,
      size: b.size,
      tables: b.tables,
      rows: b.rows,
      beforeReleaseId: b.before_release_id,
      createdAt: b.created_at,
    })),
  };
}
