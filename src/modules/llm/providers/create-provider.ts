import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import type { Vault } from '../../secrets/index.ts';
import type { CreateProviderBody } from '../schemas.ts';
import { describeKey, parseKeySource } from './provider-entry.ts';
import { insertProviderRow } from './provider-store.ts';
import type { ProviderRegistry } from './registry.ts';
import { requireInstanceAdmin } from './require-admin.ts';
import { sealProviderKey } from './seal-provider-key.ts';

/** Adds a provider (instance admins). Its key is never returned; config providers keep their names. */
export async function createProvider(
  db: Db,
  vault: Vault,
  registry: ProviderRegistry,
  ctx: RequestContext,
  input: CreateProviderBody,
) {
  requireInstanceAdmin(ctx);
  if (registry.isConfigProvider(input.name)) {
    throw new ConflictError(
      `A provider named "${input.name}" is defined in the config file; choose another name.`,
      { field: 'name' },
    );
  }
  const id = randomUUID();
  const row = await withTransaction(db, async (tx) => {
    try {
      const created = await insertProviderRow(tx, {
        id,
        name: input.name,
        kind: input.kind,
        baseUrl: input.baseUrl,
        models: input.models,
        key: sealProviderKey(vault, id, input.apiKey) ?? { ref: null, sealed: null },
        createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      });
      await recordAudit(tx, ctx, {
        action: 'llm.provider.create',
        target: { type: 'llm_provider', id },
        data: {
          name: input.name,
          kind: input.kind,
          baseUrl: input.baseUrl,
          apiKey: describeKey(parseKeySource(input.apiKey)).source,
        },
      });
      return created;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError(`A provider named "${input.name}" exists already.`, { field: 'name' });
      }
      throw error;
    }
  });
  registry.invalidate();
  return row;
}
