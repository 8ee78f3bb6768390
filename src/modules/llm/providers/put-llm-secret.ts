import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import type { Vault } from '../../secrets/index.ts';
import { upsertLlmSecret } from './provider-store.ts';
import { requireInstanceAdmin } from './require-admin.ts';
import { secretAad } from './resolve-api-key.ts';

/**
 * Stores an instance-level secret that provider definitions name as `apiKey: secret:NAME`
 * (project secrets belong to one project; an LLM key serves the whole instance). Write-only.
 */
export async function putLlmSecret(db: Db, vault: Vault, ctx: RequestContext, name: string, value: string) {
  requireInstanceAdmin(ctx);
  const sealed = vault.seal(value, secretAad(name));
  return withTransaction(db, async (tx) => {
    const row = await upsertLlmSecret(tx, name, sealed, isSystemActor(ctx.actor) ? null : ctx.actor.userId);
    await recordAudit(tx, ctx, {
      action: row.inserted ? 'llm.secret.create' : 'llm.secret.update',
      target: { type: 'llm_secret', id: name },
      data: { name },
    });
    return { name, created: row.inserted, updatedAt: row.updated_at.toISOString() };
  });
}
