/** The backup module's public face: archives of a home (database, repositories, files), restore, verification, schedule. */
export { decryptArchive } from './archive-crypto.ts';
export { BackupArchiveError } from './archive-error.ts';
export { type BackUpDeps, type BackUpResult, backUp } from './back-up.ts';
export { BACKUP_KIND, registerBackupJobs } from './backup-jobs.ts';
export type { BackupManifest } from './backup-manifest.ts';
export { backupRoutes } from './backup-routes.ts';
export { BACKUP_FILE, backupFileName } from './create-backup.ts';
export {
  assertFreshHome,
  type HomeMovedListener,
  type RestoreResult,
  readArchiveHeader,
  restoreBackup,
} from './restore-backup.ts';
export { newestBackupTime, startBackupSchedule, startScheduledBackup } from './start-backup-schedule.ts';
export { verifyBackup } from './verify-backup.ts';
