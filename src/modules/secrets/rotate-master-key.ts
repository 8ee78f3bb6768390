import type { RequestContext } from '../../platform/context.ts';
import { type Db, type Queryable, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError, UnprocessableError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { KEY_DOCS, MasterKeyError } from './master-key-error.ts';
import type { KeyCount, SealedStore } from './sealed-store.ts';
import type { Vault } from './vault.ts';

export interface RotationProgress {
  store: string;
  /** Re-sealed so far in this store, by this run. */
  done: number;
  /** Not under the current key when the run started. */
  total: number;
}

export interface RotationOptions {
  /** Values per transaction (default 100). */
  batchSize?: number;
  /** Count only. */
  dryRun?: boolean;
  /** After each batch commits (the CLI prints progress). */
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
  /** Inside each batch's transaction (`tx`), its rows locked: tests write the same rows here. */
  inBatch?: (batch: { store: string; ids: string[]; tx: Queryable }) => Promise<void>;
}

export interface RotationReport {
  /** The key values are re-sealed under. */
  keyId: string;
  dryRun: boolean;
  stores: Array<{ name: string; byKey: KeyCount[]; total: number; toReseal: number; resealed: number }>;
  resealed: number;
  toReseal: number;
  /** After the run: values still under another key (written meanwhile by a server sealing with an old key). */
  remaining: number;
}

/**
 * Re-seals every value of every store under the vault's current key (instance admins: the CLI
 * runs it as the system). Online and resumable: values go in batches, each its own transaction
 * holding its rows (`FOR UPDATE`), so a concurrent write of the same value waits and then wins,
 * an interruption leaves every value under the old or the new key (both readable), and a new run
 * picks up whatever is not under the current key yet. The audit entry (counts, never values) is
 * written with the first batch, so no value is re-sealed without one.
 */
export async function rotateMasterKey(
  db: Db,
  vault: Vault,
  stores: SealedStore[],
  ctx: RequestContext,
  options: RotationOptions = {},
): Promise<RotationReport> {
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may rotate the master key.');
  const keyId = vault.keyId;
  const limit = options.batchSize ?? 100;
  const plan: Array<{
    store: SealedStore;
    byKey: KeyCount[];
    total: number;
    toReseal: number;
    resealed: number;
  }> = [];
  for (const store of stores) {
    const byKey = await store.countByKey(db);
    const count = (c: KeyCount[]) => c.reduce((sum, k) => sum + k.count, 0);
    plan.push({
      store,
      byKey,
      total: count(byKey),
      toReseal: count(byKey.filter((k) => k.keyId !== keyId)),
      resealed: 0,
    });
  }
  refuseUnknownKeys(vault, plan);
  const report = (remaining: number): RotationReport => ({
    keyId,
    dryRun: options.dryRun === true,
    stores: plan.map(({ store, byKey, total, toReseal, resealed }) => ({
      name: store.name,
      byKey,
      total,
      toReseal,
      resealed,
    })),
    resealed: plan.reduce((sum, p) => sum + p.resealed, 0),
    toReseal: plan.reduce((sum, p) => sum + p.toReseal, 0),
    remaining,
  });
  if (options.dryRun) return report(report(0).toReseal);

  let audited = false;
  for (const entry of plan) {
    if (entry.toReseal === 0) continue;
    let after: string | null = null;
    for (;;) {
      const ids: string[] = await withTransaction(db, async (tx) => {
        const rows = await entry.store.lockBatch(tx, { notKeyId: keyId, after, limit });
        if (rows.length === 0) return [];
        await options.inBatch?.({ store: entry.store.name, ids: rows.map((r) => r.id), tx });
        for (const row of rows) {
          const plaintext = openOrExplain(vault, entry.store.name, row);
          await entry.store.replace(tx, row.id, vault.seal(plaintext, row.aad));
        }
        if (!audited)
          await recordAudit(tx, ctx, {
            action: 'master_key.rotate',
            target: { type: 'master_key', id: keyId },
            data: {
              toKeyId: keyId,
              planned: Object.fromEntries(plan.map((p) => [p.store.name, p.toReseal])),
            },
          });
        return rows.map((r) => r.id);
      });
      if (ids.length === 0) break;
      audited = true;
      entry.resealed += ids.length;
      after = ids[ids.length - 1]!;
      await options.onBatch?.({ store: entry.store.name, done: entry.resealed, total: entry.toReseal });
    }
  }
  let remaining = 0;
  for (const { store } of plan)
    for (const k of await store.countByKey(db)) if (k.keyId !== keyId) remaining += k.count;
  return report(remaining);
}

/** Nothing is changed while some value is under a key this process cannot open. */
function refuseUnknownKeys(vault: Vault, plan: Array<{ store: SealedStore; byKey: KeyCount[] }>) {
  const missing = new Map<string, string[]>();
  for (const { store, byKey } of plan)
    for (const { keyId, count } of byKey)
      if (!vault.ring.find(keyId))
        missing.set(keyId, [...(missing.get(keyId) ?? []), `${store.name} ${count}`]);
  if (missing.size === 0) return;
  const list = [...missing].map(([id, where]) => `${id} (${where.join(', ')})`).join('; ');
  throw new MasterKeyError(
    `Some values are sealed under master keys this process does not have: ${list}. ` +
      `Give it those keys (ORCHARD_OTHER_MASTER_KEYS, or <home>/master-keys/<id>.key) and run again; nothing was changed. See ${KEY_DOCS}.`,
  );
}

function openOrExplain(
  vault: Vault,
  store: string,
  row: { id: string; sealed: Parameters<Vault['open']>[0]; aad: string },
) {
  try {
    return vault.open(row.sealed, row.aad);
  } catch (error) {
    if (error instanceof MasterKeyError) throw error;
    // A value that does not authenticate is damaged (or moved by hand); say which, never what.
    throw new UnprocessableError(
      `The value of ${store} ${row.id} does not open under key ${row.sealed.keyId} (${(error as Error).message}); ` +
        'it was left as it is and the rotation stopped. Replace that value, then run again.',
    );
  }
}
