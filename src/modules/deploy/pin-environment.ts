import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { recordAudit } from '../identity/index.ts';
import { requireEnvRole } from './access.ts';
import type { DeployDeps } from './deps.ts';
import { parseEnvName } from './env-name.ts';
import { setPinned } from './environment-store.ts';
import { requireEnvironment } from './remove-environment.ts';

/** Pins an environment (a pinned preview never expires) or unpins it (its TTL starts again now). */
export async function pinEnvironment(
  deps: DeployDeps,
  ctx: RequestContext,
  input: { slug: string; env: string; pinned: boolean },
) {
  const name = parseEnvName(input.env);
  const { project } = await requireEnvRole(deps.db, ctx.actor, input.slug, name);
  const env = await requireEnvironment(deps, project.id, name.name);
  const now = deps.clock.now();
  const expiresAt =
    env.kind === 'preview' && !input.pinned
      ? new Date(now.getTime() + deps.config.deploy.previewTtlHours * 3_600_000)
      : null;
  return withTransaction(deps.db, async (tx) => {
    const row = await setPinned(tx, env.id, input.pinned, expiresAt, now);
    await recordAudit(tx, ctx, {
      action: input.pinned ? 'environment.pin' : 'environment.unpin',
      target: { type: 'environment', id: env.id },
      projectId: project.id,
      data: { environment: env.name },
    });
    return { ...row, slug: env.slug };
  });
}
