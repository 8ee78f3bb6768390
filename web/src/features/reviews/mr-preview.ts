import type { Environment } from '../../api/env-types.ts';
import type { MergeRequest } from '../../api/review-types.ts';

/**
 * The running preview of a merge request: Orchard deploys an open merge request's source branch as
 * the environment `preview/<branch>` (kind `preview`, with that `branch`) and removes it when the
 * request is merged or closed. Undefined while there is none, or nothing deployed to it yet.
 */
export function mrPreview(
  environments: readonly Environment[],
  mr: Pick<MergeRequest, 'state' | 'sourceBranch'>,
): (Environment & { release: NonNullable<Environment['release']> }) | undefined {
  if (mr.state !== 'open') return undefined;
  const env = environments.find((e) => e.kind === 'preview' && e.branch === mr.sourceBranch);
  return env?.release ? { ...env, release: env.release } : undefined;
}
