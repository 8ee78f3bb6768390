import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { refuseAgents } from './agent-refusal.ts';
import { updateSecretProtected } from './store.ts';
import { toSecretView } from './views.ts';

/** Marks a secret protected or not without touching its value (maintainers and up, like writing it). */
export async function setSecretProtected(
  db: Db,
  ctx: RequestContext,
  slug: string,
  name: string,
  value: boolean,
) {
  refuseAgents(ctx.actor);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'maintainer');
  return withTransaction(db, async (tx) => {
    const row = await updateSecretProtected(tx, project.id, name, value);
    if (!row) throw new NotFoundError(`No secret ${name} in "${slug}".`);
    await recordAudit(tx, ctx, {
      action: value ? 'secret.protect' : 'secret.unprotect',
      target: { type: 'secret', id: row.id },
      projectId: project.id,
      data: { name },
    });
    return toSecretView(row);
  });
}
