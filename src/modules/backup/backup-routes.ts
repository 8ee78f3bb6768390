import { z } from 'zod';
import type { HttpApp } from '../../platform/http/server.ts';
import { listBackups } from './list-backups.ts';

const BackupFileView = z.object({ name: z.string(), bytes: z.number(), createdAt: z.string() });
const BackupListingView = z.object({
  dir: z.string(),
  intervalHours: z.number(),
  keep: z.number(),
  verify: z.boolean(),
  archives: z.array(BackupFileView),
  failed: z.array(BackupFileView),
});

/**
 * `GET /api/admin/backups`: the archives in the backup folder and the schedule, for admins. A backup
 * is started as the operation `backup.create` (`POST /api/operations`), like any other long work.
 */
export function backupRoutes(options: { dir: string; intervalHours: number; keep: number; verify: boolean }) {
  return async (app: HttpApp) => {
    app.get(
      '/api/admin/backups',
      { config: { adminOnly: true }, schema: { tags: ['backup'], response: { 200: BackupListingView } } },
      async () => listBackups(options),
    );
  };
}
