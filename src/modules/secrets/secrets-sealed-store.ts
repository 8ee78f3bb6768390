import { aad } from './put-secret.ts';
import type { SealedStore } from './sealed-store.ts';
import { countSecretsByKey, lockSecretsNotUnder, replaceSecretSeal } from './store.ts';

/** Project secrets (`secrets`), sealed with AAD `<project id>/<name>`. */
export const projectSecretsStore: SealedStore = {
  name: 'secrets',
  table: 'secrets',
  countByKey: countSecretsByKey,
  async lockBatch(tx, query) {
    return (await lockSecretsNotUnder(tx, query)).map((row) => ({
      id: row.id,
      sealed: { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id },
      aad: aad(row.project_id, row.name),
    }));
  },
  replace: replaceSecretSeal,
};
