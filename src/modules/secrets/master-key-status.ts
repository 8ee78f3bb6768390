import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { SealedStore } from './sealed-store.ts';
import type { Vault } from './vault.ts';

export interface KeyUse {
  id: string;
  /** Where this process has it from; null when it does not have it (values under it cannot be opened). */
  source: string | null;
  current: boolean;
  /** Values sealed under it, per store (stores with none left out). */
  values: Record<string, number>;
  total: number;
}

/**
 * Which master keys are in use and how many values each seals, beside the keys this process
 * holds: the check before retiring a key (none of its values left) and after a rotation.
 */
export async function masterKeyStatus(
  db: Queryable,
  vault: Vault,
  stores: SealedStore[],
  ctx: RequestContext,
): Promise<{ currentKeyId: string; keys: KeyUse[] }> {
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may see master key use.');
  const current = vault.ring.current();
  const keys = new Map<string, KeyUse>();
  const use = (id: string) => {
    let entry = keys.get(id);
    if (!entry) {
      const held = vault.ring.find(id);
      entry = { id, source: held?.source ?? null, current: id === current.id, values: {}, total: 0 };
      keys.set(id, entry);
    }
    return entry;
  };
  for (const key of vault.ring.all()) use(key.id);
  for (const store of stores)
    for (const { keyId, count } of await store.countByKey(db)) {
      const entry = use(keyId);
      entry.values[store.name] = count;
      entry.total += count;
    }
  return { currentKeyId: current.id, keys: [...keys.values()] };
}
