import type { Queryable } from '../../platform/db/pool.ts';
import type { Sealed } from './vault.ts';

export interface SealedValue {
  /** The row's key (its id, or name where that is the key). */
  id: string;
  sealed: Sealed;
  /** The additional authenticated data the value was sealed with. */
  aad: string;
}

export interface KeyCount {
  keyId: string;
  count: number;
}

/**
 * A column of values the vault sealed. The module owning the table implements it, so its SQL
 * stays in that module's store; `rotate-key` and `key-status` walk every store the composition
 * root lists (`sealedStores` in app.ts).
 */
export interface SealedStore {
  /** As progress and status name it: `secrets`, `webhooks.secret`. */
  name: string;
  /** The table, so a test can check that every table holding sealed values has a store. */
  table: string;
  /** How many values each key id seals. */
  countByKey(db: Queryable): Promise<KeyCount[]>;
  /**
   * Up to `limit` values not sealed under `notKeyId`, after `after` in key order, locked
   * (`FOR UPDATE`) until the transaction ends, so a concurrent write waits for it and then wins.
   */
  lockBatch(
    tx: Queryable,
    query: { notKeyId: string; after: string | null; limit: number },
  ): Promise<SealedValue[]>;
  /** Writes one value back, re-sealed (its row locked by `lockBatch` in the same transaction). */
  replace(tx: Queryable, id: string, sealed: Sealed): Promise<void>;
}
