import type { SealedStore } from '../../secrets/index.ts';
import {
  countLlmSecretsByKey,
  countProviderKeysByKey,
  lockLlmSecretsNotUnder,
  lockProviderKeysNotUnder,
  replaceLlmSecretSeal,
  replaceProviderKeySeal,
} from './provider-store.ts';
import { providerKeyAad, secretAad } from './resolve-api-key.ts';

/** Values the LLM module seals: instance secrets (`apiKey: secret:NAME`) and providers' literal keys. */
export const llmSealedStores: SealedStore[] = [
  {
    name: 'llm_secrets',
    table: 'llm_secrets',
    countByKey: countLlmSecretsByKey,
    async lockBatch(tx, query) {
      return (await lockLlmSecretsNotUnder(tx, query)).map((row) => ({
        id: row.name,
        sealed: { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id },
        aad: secretAad(row.name),
      }));
    },
    replace: replaceLlmSecretSeal,
  },
  {
    name: 'llm_providers.key',
    table: 'llm_providers',
    countByKey: countProviderKeysByKey,
    async lockBatch(tx, query) {
      return (await lockProviderKeysNotUnder(tx, query)).map((row) => ({
        id: row.id,
        sealed: {
          ciphertext: row.key_ciphertext!,
          iv: row.key_iv!,
          authTag: row.key_auth_tag!,
          keyId: row.key_id!,
        },
        aad: providerKeyAad(row.id),
      }));
    },
    replace: replaceProviderKeySeal,
  },
];
