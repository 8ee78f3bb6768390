import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { refuseAgents } from './agent-refusal.ts';
import { deleteSecretRow } from './store.ts';

export async function deleteSecret(db: Db, ctx: RequestContext, slug: string, name: string) {
  refuseAgents(ctx.actor);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'maintainer');
  await withTransaction(db, async (tx) => {
    if (!(await deleteSecretRow(tx, project.id, name)))
      throw new NotFoundError(`No secret ${name} in "${slug}".`);
    await recordAudit(tx, ctx, {
      action: 'secret.delete',
      target: { type: 'secret' },
      projectId: project.id,
      data: { name },
    });
  });
}
