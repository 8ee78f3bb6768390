import { DomainError } from '../../platform/errors.ts';

/** An archive that cannot be read or restored: damaged, truncated, of another key, or a target not empty. */
export class BackupArchiveError extends DomainError {
  readonly code = 'backup_archive_invalid';
  readonly status = 422;
}
