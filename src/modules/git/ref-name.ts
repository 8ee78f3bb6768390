import { ValidationError } from '../../platform/errors.ts';

const SHA = /^[0-9a-f]{4,64}$/;

/**
 * git check-ref-format rules for a branch or ref name, plus never starting with `-` (so it cannot
 * be read as an option). Returns an explanation when invalid.
 */
export function refNameProblem(name: string): string | undefined {
  if (!name) return 'must not be empty';
  if (name.length > 255) return 'is longer than 255 characters';
  if (name.startsWith('-')) return 'must not start with "-"';
  if (name === '@') return 'must not be "@"';
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name))
    return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
  if (name.includes('..')) return 'must not contain ".."';
  if (name.includes('@{')) return 'must not contain "@{"';
  if (name.includes('//')) return 'must not contain "//"';
  if (name.startsWith('/') || name.endsWith('/')) return 'must not start or end with "/"';
  if (name.endsWith('.')) return 'must not end with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'no part may start with "."';
    if (part.endsWith('.lock')) return 'no part may end with ".lock"';
  }
  return undefined;
}

/** Validates a branch name (400 naming `field` when bad). */
export function assertRefName(name: string, field = 'ref'): string {
  const problem = refNameProblem(name);
  if (problem) throw new ValidationError(`${field} ${problem}.`, [{ field, message: problem }]);
  return name;
}

/** A revision the browse API accepts: a valid ref name or an (abbreviated) commit sha. */
export function assertRevision(rev: string, field = 'ref'): string {
  if (SHA.test(rev)) return rev;
  return assertRefName(rev, field);
}

/**
 * A path inside a repository: relative, `/`-separated, no `.`/`..` segments, no NUL. Empty means
 * the root. Trailing slashes are dropped.
 */
export function normalizeRepoPath(raw: string, field = 'path'): string {
  const trimmed = raw.replace(/\/+$/, '');
  if (!trimmed) return '';
  const bad = (message: string) => new ValidationError(`${field} ${message}.`, [{ field, message }]);
  if (trimmed.length > 4096) throw bad('is too long');
  if (trimmed.includes('\0')) throw bad('must not contain NUL');
  if (trimmed.startsWith('/')) throw bad('must be relative to the repository root');
  for (const part of trimmed.split('/')) {
    if (part === '' || part === '.' || part === '..')
      throw bad('must not contain empty, "." or ".." segments');
  }
  return trimmed;
}

export function isFullSha(value: string) {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value);
}

export const ZERO_SHA = '0000000000000000000000000000000000000000';
