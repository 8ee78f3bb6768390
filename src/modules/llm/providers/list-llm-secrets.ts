import type { Queryable } from '../../../platform/db/pool.ts';
import { listLlmSecretNames } from './provider-store.ts';

/** The names of the stored provider keys (`secret:<name>`), never their values (admins). */
export async function listLlmSecrets(db: Queryable) {
  return {
    items: (await listLlmSecretNames(db)).map((r) => ({
      name: r.name,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    })),
    nextCursor: null,
  };
}
