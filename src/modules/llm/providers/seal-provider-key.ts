import type { Vault } from '../../secrets/index.ts';
import { isKeyReference, type Sealed } from './provider-entry.ts';
import { providerKeyAad } from './resolve-api-key.ts';

/** A key given to the admin API: references are stored as they are, literal keys sealed. */
export function sealProviderKey(
  vault: Vault,
  providerId: string,
  apiKey: string | null | undefined,
): { ref: string | null; sealed: Sealed | null } | undefined {
  if (apiKey === undefined) return undefined;
  if (apiKey === null) return { ref: null, sealed: null };
  if (isKeyReference(apiKey)) return { ref: apiKey, sealed: null };
  return { ref: null, sealed: vault.seal(apiKey, providerKeyAad(providerId)) };
}
