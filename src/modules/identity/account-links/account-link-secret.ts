import { hashToken, randomSecret } from '../token-format.ts';
import type { AccountLinkPurpose } from './account-link-store.ts';

/** How long a link works: a week to accept an invitation, a day to use a password reset. */
export const ACCOUNT_LINK_TTL_MS: Record<AccountLinkPurpose, number> = {
  invite: 7 * 86_400_000,
  reset: 86_400_000,
};

/** The UI page each kind of link opens (the secret is its last segment). */
const PAGE: Record<AccountLinkPurpose, string> = { invite: '/invite/', reset: '/reset-password/' };

/** The link's secret: 32 random bytes, base64url (URL-safe as a path segment). Only its hash is stored. */
export function newAccountLinkSecret(): { secret: string; hash: string } {
  const secret = randomSecret(32);
  return { secret, hash: hashToken(secret) };
}

export const hashAccountLinkSecret = hashToken;

/** What an admin hands the person: the page's path, and the whole address at Orchard's origin. */
export function accountLinkAddress(purpose: AccountLinkPurpose, secret: string, origin: string) {
  const path = `${PAGE[purpose]}${secret}`;
  return { path, url: new URL(path, origin).href };
}
