import { z } from 'zod';
import { defineStep, defineWorkflow, type Registry } from '../operations/index.ts';
import { type BackUpDeps, backUp } from './back-up.ts';

/** A backup: one archive, verified, then retention — on the schedule or started by an admin. */
export const BACKUP_KIND = 'backup.create';

/**
 * A scheduled backup names its slot (one operation per slot, whichever process starts it); one an
 * admin starts (`POST /api/operations`, the Backups tab, `orchard ops start backup.create`) has none.
 */
export const BackupInput = z.object({ slot: z.iso.datetime().optional() }).strict();
export type BackupInput = z.infer<typeof BackupInput>;

export interface BackupJobOptions {
  dir: string;
  keep: number;
  verify: boolean;
}

/**
 * `backup.create`: one step that writes the archive, verifies it and prunes old ones, logging each
 * part as it goes. Its runs are kept like any operation's (one per interval), so a failed night shows
 * in the operations list and its error says why. A retry after a crash starts the archive again (a
 * partial file is removed). Admins may start one through the API.
 */
export function registerBackupJobs(registry: Registry, deps: BackUpDeps, options: BackupJobOptions): void {
  registry.add(
    defineWorkflow(BACKUP_KIND, BackupInput, (input) => [{ key: 'backup', step: 'backup.create', input }], {
      apiStartable: true,
      adminOnly: true,
    }),
    defineStep<BackupInput>('backup.create', {
      retry: { maxAttempts: 2, baseMs: 60_000, maxMs: 300_000 },
      timeoutMs: 6 * 3_600_000,
      handler: async (ctx) => {
        const { archive, verified, pruned } = await backUp(deps, {
          ...options,
          onProgress: (line) => ctx.log(line),
        });
        const rows = archive.manifest.database.tables.reduce((n, t) => n + t.rows, 0);
        ctx.log(
          `wrote ${archive.file} (${archive.bytes} bytes, ${rows} rows, ${archive.manifest.repositories.length} repositories) in ${archive.seconds.toFixed(1)} s${verified ? `; verified in ${verified.seconds.toFixed(1)} s` : ''}`,
        );
        return {
          file: archive.file,
          bytes: archive.bytes,
          rows,
          repositories: archive.manifest.repositories.length,
          files: archive.manifest.files.files,
          verified: Boolean(verified),
          pruned,
        };
      },
    }),
  );
}
