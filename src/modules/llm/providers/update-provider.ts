import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import type { Vault } from '../../secrets/index.ts';
import type { UpdateProviderBody } from '../schemas.ts';
import { findProviderRow, updateProviderRow } from './provider-store.ts';
import type { ProviderRegistry } from './registry.ts';
import { requireInstanceAdmin } from './require-admin.ts';
import { sealProviderKey } from './seal-provider-key.ts';

/** Changes an API provider; `apiKey: null` removes its key. Config providers are read-only. */
export async function updateProvider(
  db: Db,
  vault: Vault,
  registry: ProviderRegistry,
  ctx: RequestContext,
  name: string,
  patch: UpdateProviderBody,
) {
  requireInstanceAdmin(ctx);
  rejectConfigProvider(registry, name);
  const row = await withTransaction(db, async (tx) => {
    const existing = await findProviderRow(tx, name);
    if (!existing) throw new NotFoundError(`No LLM provider "${name}".`);
    const key = sealProviderKey(vault, existing.id, patch.apiKey);
    const updated = await updateProviderRow(tx, name, {
      ...(patch.kind ? { kind: patch.kind } : {}),
      ...(patch.baseUrl ? { baseUrl: patch.baseUrl } : {}),
      ...(patch.models ? { models: patch.models } : {}),
      ...(key ? { key } : {}),
    });
    await recordAudit(tx, ctx, {
      action: 'llm.provider.update',
      target: { type: 'llm_provider', id: existing.id },
      data: {
        name,
        changed: Object.keys(patch).filter((k) => patch[k as keyof UpdateProviderBody] !== undefined),
      },
    });
    return updated;
  });
  registry.invalidate();
  return row;
}

export function rejectConfigProvider(registry: ProviderRegistry, name: string) {
  if (registry.isConfigProvider(name)) {
    throw new ConflictError(`Provider "${name}" is defined in the config file; change it there and restart.`);
  }
}
