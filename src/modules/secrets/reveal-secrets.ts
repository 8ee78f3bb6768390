import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { aad } from './put-secret.ts';
import { listSecretRows } from './store.ts';
import type { Vault } from './vault.ts';

export interface RevealedSecrets {
  /** Name → value of the secrets given. */
  values: Record<string, string>;
  /** Protected secrets that were asked for and not given (names only). */
  withheld: string[];
}

/**
 * Decrypts the named secrets of a project for injection into a job, a build or an app (never for
 * an API response). The caller decides whether the code that will see them may use protected
 * secrets (see docs/git-and-pipelines.md); when it may not, protected ones are left out and
 * named in `withheld`. Every name must exist, so a missing secret fails loudly before anything runs.
 */
export async function revealSecrets(
  db: Queryable,
  vault: Vault,
  projectId: string,
  names: string[],
  access: { protectedAllowed: boolean },
): Promise<RevealedSecrets> {
  const wanted = new Set(names);
  const rows = (await listSecretRows(db, projectId)).filter((row) => wanted.has(row.name));
  const missing = names.filter((name) => !rows.some((row) => row.name === name));
  if (missing.length)
    throw new NotFoundError(
      `Missing project secrets: ${missing.join(', ')}. Add them under Settings → Secrets.`,
    );
  const out: RevealedSecrets = { values: {}, withheld: [] };
  for (const row of rows) {
    if (row.protected && !access.protectedAllowed) {
      out.withheld.push(row.name);
      continue;
    }
    out.values[row.name] = vault.open(
      { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id },
      aad(projectId, row.name),
    );
  }
  return out;
}
