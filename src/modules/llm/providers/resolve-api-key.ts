import { readEnvReference } from '../../../config.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Vault } from '../../secrets/index.ts';
import type { ProviderEntry } from './provider-entry.ts';
import { findLlmSecret } from './provider-store.ts';

/** The key a provider names cannot be read; the call falls back to the next model of its chain. */
export class ApiKeyUnavailableError extends Error {
  override name = 'ApiKeyUnavailableError';
}

export interface KeyDeps {
  db?: Queryable;
  vault?: Vault;
  env?: Record<string, string | undefined>;
}

/** AAD of values sealed for the LLM module: a ciphertext only opens under the name it was sealed for. */
export const secretAad = (name: string) => `llm-secret/${name}`;
export const providerKeyAad = (providerId: string) => `llm-provider/${providerId}`;

/** Reads a provider's key from where its definition says; the value goes to the SDK and nowhere else. */
export async function resolveApiKey(entry: ProviderEntry, deps: KeyDeps): Promise<string | undefined> {
  const source = entry.apiKey;
  switch (source.kind) {
    case 'none':
      return undefined;
    case 'literal':
      return source.value;
    case 'env': {
      const value = readEnvReference(source.name, deps.env);
      if (!value)
        throw new ApiKeyUnavailableError(
          `provider ${entry.name}: environment variable ${source.name} is not set`,
        );
      return value;
    }
    case 'secret': {
      if (!deps.db || !deps.vault) {
        throw new ApiKeyUnavailableError(
          `provider ${entry.name}: secret:${source.name} needs the database; use env:NAME here`,
        );
      }
      const sealed = await findLlmSecret(deps.db, source.name);
      if (!sealed) {
        throw new ApiKeyUnavailableError(
          `provider ${entry.name}: no LLM secret ${source.name}; add it with PUT /api/llm/secrets/${source.name}`,
        );
      }
      return deps.vault.open(sealed, secretAad(source.name));
    }
    case 'sealed':
      if (!deps.vault || !entry.id)
        throw new ApiKeyUnavailableError(`provider ${entry.name}: its stored key cannot be opened`);
      return deps.vault.open(source.sealed, providerKeyAad(entry.id));
  }
}
