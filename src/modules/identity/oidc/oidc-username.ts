import { randomBytes } from 'node:crypto';
import { isAgentName } from '../agent-name.ts';

/** Room for a tail of up to 7 characters (`-` and 6 hex digits) within the 39 a username may have. */
const MAX_USERNAME = 39;

/** One name made to fit Orchard's username rules (`^[a-z0-9][a-z0-9_.-]{0,38}$`), or undefined. */
function asUsername(wish: string | null): string | undefined {
  if (!wish) return undefined;
  const name = wish
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_USERNAME - 7)
    .replace(/[^a-z0-9]+$/, '');
  if (!name) return undefined;
  // Names starting with "agent-" are kept for agent principals.
  return isAgentName(name) ? `user-${name}`.slice(0, MAX_USERNAME - 7) : name;
}

/**
 * Usernames to try, in order, for the account of a first sign-in: the provider's preferred username
 * (else the email's local part), then the same numbered, then with a random tail.
 */
export function usernameCandidates(person: { preferredUsername: string | null; email: string | null }) {
  const base =
    asUsername(person.preferredUsername) ?? asUsername(person.email?.split('@')[0] ?? null) ?? 'user';
  const numbered = Array.from({ length: 8 }, (_, i) => `${base}-${i + 2}`);
  return [base, ...numbered, `${base}-${randomBytes(3).toString('hex')}`];
}
