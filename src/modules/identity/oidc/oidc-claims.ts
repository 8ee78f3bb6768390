import { textProblem } from '../../../platform/http/storable-input.ts';
import { OidcRefused } from './oidc-refusal.ts';

/** What Orchard reads of a person's claims (ID token, then UserInfo over it). */
export interface OidcPerson {
  subject: string;
  email: string | null;
  /** `email_verified` is `true` (or the string "true", which some providers send). */
  emailVerified: boolean;
  /** `preferred_username`, else `nickname`: the wish for a new account's username. */
  preferredUsername: string | null;
  groups: string[];
}

const MAX_GROUPS = 1000;
const MAX_TEXT = 254;

/** Text Orchard can store and show, or null (claims are the provider's, and checked like any input). */
function text(value: unknown, max = MAX_TEXT): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max && !textProblem(trimmed) ? trimmed : null;
}

/**
 * Reads the claims that matter. `groupsClaim` may name a list of strings or one string (some
 * providers send a single group that way); anything else means no groups.
 */
export function readClaims(claims: Record<string, unknown>, groupsClaim: string): OidcPerson {
  const subject = text(claims.sub, 255);
  if (!subject) throw new OidcRefused('provider_error', 'The provider sent no usable subject (sub).');
  const email = text(claims.email);
  const raw = claims[groupsClaim];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const groups = [...new Set(list.map((g) => text(g, 200)).filter((g): g is string => g !== null))];
  return {
    subject,
    email: email && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null,
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    preferredUsername: text(claims.preferred_username) ?? text(claims.nickname),
    groups: groups.slice(0, MAX_GROUPS).sort(),
  };
}
