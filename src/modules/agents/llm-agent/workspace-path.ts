import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../../platform/errors.ts';

/**
 * A path the model gave, resolved inside the workspace: relative, no `..` out of it, not into
 * `.git`, and not through a symlink that leaves it. Returns the absolute path and the clean
 * relative one (with `/` separators).
 */
export async function workspacePath(root: string, given: string): Promise<{ abs: string; rel: string }> {
  const trimmed = given.trim().replace(/^\.\/+/, '');
  if (!trimmed || trimmed === '.') return { abs: root, rel: '' };
  if (path.isAbsolute(trimmed))
    throw new ValidationError(`Use a path relative to the repository root, not ${given}.`);
  const abs = path.resolve(root, trimmed);
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new ValidationError(`${given} is outside the repository.`);
  const parts = rel.split(path.sep);
  if (parts[0] === '.git')
    throw new ValidationError('The .git directory is not for editing; commits are made for you.');
  // The deepest existing ancestor must really be inside the workspace (a symlink could lead out).
  let probe = abs;
  for (;;) {
    const real = await realpath(probe).catch(() => undefined);
    if (real !== undefined) {
      const realRoot = await realpath(root);
      const inside = path.relative(realRoot, real);
      if (inside.startsWith('..') || path.isAbsolute(inside))
        throw new ValidationError(`${given} leads outside the repository (through a symbolic link).`);
      break;
    }
    const up = path.dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  return { abs, rel: parts.join('/') };
}
