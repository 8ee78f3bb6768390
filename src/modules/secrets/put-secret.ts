import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { refuseAgents } from './agent-refusal.ts';
import { upsertSecret } from './store.ts';
import type { Vault } from './vault.ts';
import { toSecretView } from './views.ts';

/**
 * Writes or replaces a project secret (maintainers and up). The value is never returned. A new
 * secret is protected unless asked otherwise; a replaced one keeps its flag unless `protected` is given.
 */
export async function putSecret(
  db: Db,
  vault: Vault,
  ctx: RequestContext,
  slug: string,
  name: string,
  value: string,
  options: { protected?: boolean } = {},
) {
  refuseAgents(ctx.actor);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'maintainer');
  const sealed = vault.seal(value, aad(project.id, name));
  return withTransaction(db, async (tx) => {
    const row = await upsertSecret(tx, {
      projectId: project.id,
      name,
      sealed,
      createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      protected: options.protected,
    });
    await recordAudit(tx, ctx, {
      action: row.inserted ? 'secret.create' : 'secret.update',
      target: { type: 'secret', id: row.id },
      projectId: project.id,
      data: { name, version: row.version, protected: row.protected },
    });
    return { view: toSecretView(row), created: row.inserted };
  });
}

/** Additional authenticated data: a sealed value only opens for the same project and name. */
export function aad(projectId: string, name: string) {
  return `${projectId}/${name}`;
}
