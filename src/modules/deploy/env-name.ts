import { ValidationError } from '../../platform/errors.ts';
import { refNameProblem } from '../git/index.ts';

export type EnvKind = 'staging' | 'production' | 'preview';

export interface EnvName {
  name: string;
  kind: EnvKind;
  /** Previews: the branch they run. */
  branch?: string;
}

export const PREVIEW_PREFIX = 'preview/';

/** `preview/<branch>` for a branch. */
export function previewName(branch: string): string {
  return `${PREVIEW_PREFIX}${branch}`;
}

/**
 * Parses an environment name: `staging`, `production` or `preview/<branch>`. URL forms are
 * accepted too: `preview%2Fx` arrives decoded, and `preview--x` (no slash in a path segment)
 * means `preview/x`.
 */
export function parseEnvName(raw: string, field = 'env'): EnvName {
  const value = raw.trim();
  if (value === 'staging' || value === 'production') return { name: value, kind: value };
  let branch: string | undefined;
  if (value.startsWith(PREVIEW_PREFIX)) branch = value.slice(PREVIEW_PREFIX.length);
  else if (value.startsWith('preview--')) branch = value.slice('preview--'.length);
  if (branch === undefined) {
    throw new ValidationError(`${field} must be staging, production or preview/<branch>.`, [
      { field, message: 'must be staging, production or preview/<branch>' },
    ]);
  }
  const problem = refNameProblem(branch);
  if (problem) {
    throw new ValidationError(`${field}: the branch ${problem}.`, [
      { field, message: `the branch ${problem}` },
    ]);
  }
  return { name: previewName(branch), kind: 'preview', branch };
}
