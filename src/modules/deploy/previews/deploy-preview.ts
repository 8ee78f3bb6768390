import type { RequestContext } from '../../../platform/context.ts';
import type { DeployDeps } from '../deps.ts';
import { previewName } from '../env-name.ts';
import { deployRef } from '../releases/deploy-ref.ts';

/**
 * Deploys `sha` of `branch` as the branch's preview (`preview/<branch>`), creating it on first use
 * and resetting its TTL. Called when a merge request is opened or its branch gets new commits.
 */
export function deployPreview(
  deps: DeployDeps,
  ctx: RequestContext,
  input: { slug: string; branch: string; sha: string; operationId?: string | null },
) {
  return deployRef(deps, ctx, {
    slug: input.slug,
    env: previewName(input.branch),
    ref: input.sha,
    operationId: input.operationId,
  });
}
