import type { OidcProviderConfig } from '../../../config.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { countUsers, type UserRow } from '../store.ts';
import type { OidcPerson } from './oidc-claims.ts';
import { OidcRefused } from './oidc-refusal.ts';
import {
  findLinkedUser,
  findSubjectOfUser,
  insertIdentity,
  insertSsoUser,
  lockUserByEmail,
} from './oidc-store.ts';
import { usernameCandidates } from './oidc-username.ts';

/** How the sign-in found its account: linked before, linked now by verified email, or made now. */
export type AccountOutcome = 'linked_before' | 'linked_by_email' | 'created';

/** Only enabled people sign in: agents and services never, whatever their email. */
function requirePerson(user: UserRow) {
  if (user.kind !== 'human')
    throw new OidcRefused(
      'not_a_person',
      `${user.username} is ${user.kind === 'agent' ? 'an agent principal' : 'a service account'}: it cannot sign in.`,
    );
  if (user.disabled) throw new OidcRefused('account_disabled', `The account ${user.username} is disabled.`);
}

/**
 * The account a provider's subject signs in to (inside the sign-in's transaction, the subject
 * locked): the one it is linked to; else the account with its email, linked now when the provider
 * links by email and says the email is verified; else a new account (no password) when the provider
 * allows sign-up, with `role`.
 */
export async function resolveOidcUser(
  tx: Queryable,
  provider: OidcProviderConfig,
  person: OidcPerson,
  options: { role: 'admin' | 'member'; at: Date },
): Promise<{ user: UserRow; account: AccountOutcome }> {
  const linked = await findLinkedUser(tx, provider.name, person.subject);
  if (linked) {
    requirePerson(linked);
    return { user: linked, account: 'linked_before' };
  }
  const identity = {
    provider: provider.name,
    subject: person.subject,
    email: person.email,
    groups: person.groups,
  };
  if (!person.email) {
    if (!provider.allowSignUp)
      throw new OidcRefused('signup_closed', `No account is linked to this ${provider.displayName} subject.`);
    throw new OidcRefused(
      'email_missing',
      `${provider.displayName} sent no email, which a new account needs.`,
    );
  }
  const holder = await lockUserByEmail(tx, person.email);
  if (holder) {
    requirePerson(holder);
    if (!provider.linkByEmail)
      throw new OidcRefused(
        'account_exists',
        `The account ${holder.username} has this email and ${provider.name} does not link by email.`,
      );
    if (!person.emailVerified)
      throw new OidcRefused(
        'email_unverified',
        `${provider.displayName} does not say the email is verified.`,
      );
    if (await findSubjectOfUser(tx, provider.name, holder.id))
      throw new OidcRefused(
        'already_linked',
        `The account ${holder.username} is linked to another ${provider.displayName} subject.`,
      );
    await insertIdentity(tx, { ...identity, userId: holder.id, at: options.at });
    return { user: holder, account: 'linked_by_email' };
  }
  if (!provider.allowSignUp)
    throw new OidcRefused(
      'signup_closed',
      `No account has this email and ${provider.name} does not allow sign-up.`,
    );
  // The first account is the admin made on the setup page; any account closes that page for good.
  if ((await countUsers(tx)) === 0)
    throw new OidcRefused('setup_needed', 'Orchard has no admin yet: create one on the setup page first.');
  for (const username of usernameCandidates(person)) {
    const user = await insertSsoUser(tx, { username, email: person.email, role: options.role });
    if (user) {
      await insertIdentity(tx, { ...identity, userId: user.id, at: options.at });
      return { user, account: 'created' };
    }
    // Taken: the name (try the next), or the email by an account made meanwhile.
    if (await lockUserByEmail(tx, person.email))
      throw new OidcRefused('account_exists', 'An account with this email was made meanwhile.');
  }
  throw new OidcRefused('server_error', `No free username for ${person.email}.`);
}
