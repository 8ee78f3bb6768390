/** The tokens that let a browser into a private environment, and how they travel. */
import { createHash, randomBytes } from 'node:crypto';

/** The cookie on an app's own host; Orchard's own cookies never reach the app (see the proxy). */
export const APP_ACCESS_COOKIE = 'orchard_app_access';
/** The query parameter an exchange token or a share link's token arrives in. */
export const APP_ACCESS_PARAM = '__orchard_access';
/** Orchard's session and CSRF cookies (identity/cookies.ts): the proxy strips them from app requests. */
export const ORCHARD_COOKIES = ['orchard_session', 'orchard_csrf'] as const;

/** `oax_` one-time exchange tokens, `oas_` share links, `oac_` cookies. */
export type AccessTokenKind = 'oax' | 'oas' | 'oac';

export function newAccessToken(kind: AccessTokenKind): string {
  return `${kind}_${randomBytes(24).toString('base64url')}`;
}

export function accessTokenKind(token: string): AccessTokenKind | undefined {
  const m = /^(oax|oas|oac)_[A-Za-z0-9_-]{20,64}$/.exec(token);
  return m ? (m[1] as AccessTokenKind) : undefined;
}

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long what a grant gives lasts. */
export const EXCHANGE_TTL_MS = 60_000;
export const USER_COOKIE_TTL_MS = 8 * 3_600_000;
export const ROBOT_COOKIE_TTL_MS = 3_600_000;
