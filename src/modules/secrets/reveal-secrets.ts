import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { aad } from './put-secret.ts';
import { listSecretRows } from './store.ts';
import type { Vault } from './vault.ts';

/**
 * Decrypts a project's secrets for injection into a job or an app (never for an API response).
 * With `names`, every name must exist, so a missing secret fails loudly before anything runs.
 */
export async function revealSecrets(
  db: Queryable,
  vault: Vault,
  projectId: string,
  names?: string[],
): Promise<Record<string, string>> {
  const rows = await listSecretRows(db, projectId);
  const wanted = names ? new Set(names) : undefined;
  const out: Record<string, string> = {};
  for (const row of rows) {
    if (wanted && !wanted.has(row.name)) continue;
    out[row.name] = vault.open(
      { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id },
      aad(projectId, row.name),
    );
  }
  const missing = names?.filter((n) => !(n in out)) ?? [];
  if (missing.length)
    throw new NotFoundError(
      `Missing project secrets: ${missing.join(', ')}. Add them under Settings → Secrets.`,
    );
  return out;
}
