import { timingSafeEqual } from 'node:crypto';
import type { OidcProviderConfig } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import type { ActorCache } from '../actor-cache.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { scopesForRole } from '../authenticate.ts';
import { type LoginResult, openSession } from '../login.ts';
import type { UserRow } from '../store.ts';
import { hashToken } from '../token-format.ts';
import { exchangeCode } from './exchange-code.ts';
import type { GroupMemberships } from './group-memberships.ts';
import { instanceRoleOf, projectRolesOf } from './group-roles.ts';
import type { OidcClients } from './oidc-clients.ts';
import { OidcRefused } from './oidc-refusal.ts';
import { lockSubject, recordIdentitySignIn, takeAttempt } from './oidc-store.ts';
import { resolveOidcUser } from './resolve-oidc-user.ts';
import { syncInstanceRole } from './sync-instance-role.ts';

export interface OidcDeps {
  db: Db;
  clock: Clock;
  clients: OidcClients;
  /** Project roles from groups (the projects module); absent, mappings to projects fail the sign-in. */
  memberships?: GroupMemberships;
  cache?: ActorCache;
}

function sameText(a: string | null, b: string): boolean {
  if (a === null) return false;
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

function contextFor(user: UserRow, input: { requestId?: string; ip?: string }): RequestContext {
  const actor = { userId: user.id, username: user.username, role: user.role, via: 'session' as const };
  return { actor: { ...actor, scopes: scopesForRole(user.role) }, requestId: input.requestId, ip: input.ip };
}

/**
 * The provider's callback: takes this browser's pending attempt (used once, whatever happens next),
 * has the code exchanged and the answer checked, finds or links or creates the account, gives it
 * the instance and project roles its groups say (again at every sign-in), and opens a session as a
 * password login does — all in one transaction with their audit rows. Every refusal is an
 * `OidcRefused` whose code the login page explains.
 */
export async function finishOidcSignIn(
  deps: OidcDeps,
  input: {
    provider: OidcProviderConfig;
    binding: string | undefined;
    search: URLSearchParams;
    ttlHours: number;
    ip?: string;
    userAgent?: string;
    requestId?: string;
  },
): Promise<LoginResult & { returnTo: string }> {
  const { db, clock } = deps;
  const { provider } = input;
  const again = 'start the sign-in again';
  if (!input.binding)
    throw new OidcRefused(
      'no_attempt',
      `This browser has no sign-in pending (its cookie is missing): ${again}.`,
    );
  const attempt = await takeAttempt(db, hashToken(input.binding));
  if (!attempt || attempt.provider !== provider.name)
    throw new OidcRefused(
      'no_attempt',
      `This sign-in was already used or replaced by a newer one: ${again}.`,
    );
  if (attempt.expires_at.getTime() <= clock.now().getTime())
    throw new OidcRefused('expired', `This sign-in took longer than it may: ${again}.`);
  const error = input.search.get('error');
  if (error)
    throw new OidcRefused(
      error === 'access_denied' ? 'access_denied' : 'provider_error',
      `${provider.displayName} answered ${error.slice(0, 100)}.`,
    );
  // openid-client checks it too; checked first so a forged callback is named for what it is.
  if (!sameText(input.search.get('state'), attempt.state))
    throw new OidcRefused('state_mismatch', `The state sent back is not this browser's: ${again}.`);
  const person = await exchangeCode(deps.clients, provider, attempt, input.search);
  const desiredProjects = projectRolesOf(provider, person.groups);
  if (desiredProjects.size && !deps.memberships)
    throw new OidcRefused('server_error', 'Project roles from groups are configured but cannot be applied.');

  let roleChanged = false;
  const result = await withTransaction(db, async (tx) => {
    const at = clock.now();
    await lockSubject(tx, provider.name, person.subject);
    const role = instanceRoleOf(provider, person.groups);
    const found = await resolveOidcUser(tx, provider, person, { role: role ?? 'member', at });
    const note = { via: 'oidc', provider: provider.name };
    const ctx = contextFor(found.user, input);
    const target = { type: 'user', id: found.user.id };
    if (found.account === 'created')
      await recordAudit(tx, ctx, {
        action: 'user.create',
        target,
        data: { username: found.user.username, role: found.user.role, ...note },
      });
    if (found.account === 'linked_by_email')
      await recordAudit(tx, ctx, {
        action: 'user.oidc_link',
        target,
        data: { ...note, subject: person.subject },
      });
    const synced = await syncInstanceRole(tx, ctx, found.user, role, note);
    roleChanged = synced.outcome === 'changed';
    const projects = desiredProjects.size
      ? await deps.memberships!.sync(tx, contextFor(synced.user, input), synced.user, desiredProjects, note)
      : [];
    await recordIdentitySignIn(tx, { ...person, provider: provider.name, at });
    return openSession(tx, clock, synced.user, {
      ttlHours: input.ttlHours,
      ip: input.ip,
      userAgent: input.userAgent,
      requestId: input.requestId,
      proof: {
        method: 'oidc',
        provider: provider.name,
        subject: person.subject,
        account: found.account,
        groups: person.groups,
        ...(synced.outcome !== 'unchanged' ? { instanceRole: synced.outcome } : {}),
        ...(projects.length ? { projects } : {}),
      },
    });
  });
  if (roleChanged) deps.cache?.drop({ userId: result.user.id });
  return { ...result, returnTo: attempt.return_to };
}
