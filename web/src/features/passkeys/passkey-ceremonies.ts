import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { api } from '../../api/client.ts';
import type { SessionStart } from '../../api/identity-types.ts';
import type { Passkey } from '../../api/passkey-types.ts';

// The options are made by @simplewebauthn/server; the API's schema types them loosely (strings for
// the enums), so they are handed to the browser library as its own type. The library is a chunk of
// its own, fetched on the first ceremony (the main bundle stays under Vite's size warning).
const webauthn = () => import('@simplewebauthn/browser');

/** Adds a passkey to the signed-in account: the server's options, the browser's prompt, the check. */
export async function addPasskey(name: string): Promise<Passkey> {
  const options = await api.post<PublicKeyCredentialCreationOptionsJSON>(
    '/api/passkeys/registration/options',
  );
  const response = await (await webauthn()).startRegistration({ optionsJSON: options });
  return api.post<Passkey>('/api/passkeys', { name, response });
}

/** Signs in with any passkey this browser holds for Orchard: no username, no password. */
export async function signInWithPasskey(): Promise<SessionStart> {
  const options = await api.post<PublicKeyCredentialRequestOptionsJSON>('/api/auth/passkey/options');
  const response = await (await webauthn()).startAuthentication({ optionsJSON: options });
  return api.post<SessionStart>('/api/auth/passkey/login', { response });
}

/** The browser's own refusals (the person cancelled, no passkey here) in words that say what to do. */
export function ceremonyMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { name } = error;
  if (name === 'NotAllowedError' || name === 'AbortError')
    return 'The passkey prompt was closed or timed out. Try again when you are ready.';
  if (name === 'InvalidStateError') return 'This device already holds a passkey for your account.';
  if (name === 'SecurityError')
    return 'This browser refused passkeys for this address: open Orchard by its host name (https, or http://localhost).';
  if (name === 'NotSupportedError') return 'This browser or device cannot make passkeys.';
  return undefined;
}
