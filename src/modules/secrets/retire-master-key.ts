import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { oldKeysDir } from './key-ring.ts';
import { removeOldKeyFile } from './master-key.ts';
import { masterKeyStatus } from './master-key-status.ts';
import type { SealedStore } from './sealed-store.ts';
import type { Vault } from './vault.ts';

export interface RetiredKey {
  keyId: string;
  /** The file deleted from `<home>/master-keys/`; null when the key is configured (remove it there). */
  removedFile: string | null;
  /** Where else this process has it from (ORCHARD_OTHER_MASTER_KEYS), to be removed by the operator. */
  configured: boolean;
}

/**
 * Retires an old master key once no value uses it: deletes `<home>/master-keys/<id>.key`, or,
 * for a configured key, confirms it may be removed from ORCHARD_OTHER_MASTER_KEYS. Refuses the
 * current key and any key some value is still sealed under.
 */
export async function retireMasterKey(
  db: Db,
  vault: Vault,
  stores: SealedStore[],
  ctx: RequestContext,
  input: { keyId: string; home: string },
): Promise<RetiredKey> {
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may retire master keys.');
  const { keyId } = input;
  if (!/^[0-9a-f]{16}$/.test(keyId))
    throw new ValidationError(
      `Not a master key id (16 hex digits, as key-status shows them): ${JSON.stringify(keyId)}.`,
    );
  const status = await masterKeyStatus(db, vault, stores, ctx);
  if (keyId === status.currentKeyId)
    throw new ConflictError(`${keyId} is the current master key: new values are sealed with it.`);
  const use = status.keys.find((k) => k.id === keyId);
  if (use && use.total > 0) {
    const where = Object.entries(use.values)
      .map(([store, n]) => `${store} ${n}`)
      .join(', ');
    throw new ConflictError(
      `${use.total} values are still sealed under ${keyId} (${where}): run orchard secrets rotate-key first.`,
    );
  }
  const removed = await removeOldKeyFile(input.home, keyId);
  const configured = use?.source === 'ORCHARD_OTHER_MASTER_KEYS';
  const retired = {
    keyId,
    removedFile: removed ? `${oldKeysDir(input.home)}/${keyId}.key` : null,
    configured,
  };
  await recordAudit(db, ctx, {
    action: 'master_key.retire',
    target: { type: 'master_key', id: keyId },
    data: { removedFile: retired.removedFile !== null, configured },
  });
  return retired;
}
