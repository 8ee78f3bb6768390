import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { ForbiddenError, UnauthorizedError } from '../../platform/errors.ts';
import type { Actor, Scope } from '../../platform/http/actor.ts';
import type { ActorCache } from './actor-cache.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './cookies.ts';
import type { LastUseRecorder } from './last-use.ts';
import { findSessionWithUser, findTokenWithUser, touchTokens } from './store.ts';
import { hashToken, TOKEN_PATTERN } from './token-format.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function scopesForRole(role: 'admin' | 'member'): Scope[] {
  return role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write'];
}

type TokenWithUser = NonNullable<Awaited<ReturnType<typeof findTokenWithUser>>>;
type SessionWithUser = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

/**
 * The actor of a token row; throws 401 for a revoked or expired token, a disabled account, or a
 * delegated token whose delegating user is disabled or gone.
 */
function tokenActor(row: TokenWithUser | undefined, now: Date): Actor {
  if (!row) throw new UnauthorizedError('The API token is not valid.');
  if (row.revoked_at)
    throw new UnauthorizedError(
      row.delegated_by
        ? `This agent token's delegation was revoked: ${row.username} no longer acts for ${row.delegator_username ?? 'the person who delegated it'}.`
        : 'The API token was revoked; create a new one.',
    );
  if (row.expires_at && row.expires_at <= now)
    throw new UnauthorizedError('The API token has expired; create a new one.');
  if (row.disabled) throw new UnauthorizedError('The account of this token is disabled.');
  // A token never holds more than its user's role allows, even if the role was lowered later.
  const allowed = scopesForRole(row.role);
  const actor: Actor = {
    userId: row.user_id,
    username: row.username,
    role: row.role,
    via: 'token',
    scopes: row.scopes.filter((s) => allowed.includes(s)),
    tokenId: row.id,
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
  };
  if (!row.delegated_by) {
    // An agent acts only for someone: a plain token of an agent principal is worth nothing.
    if (row.kind === 'agent')
      throw new UnauthorizedError('Agent principals act only with tokens delegated to an agent session.');
    return actor;
  }
  if (!row.delegator_username || row.delegator_disabled || !row.project_id)
    throw new UnauthorizedError('The user who delegated this agent token is disabled or gone.');
  return {
    ...actor,
    // Never admin, whatever the row says: delegated tokens are made with write only.
    scopes: actor.scopes.filter((s) => s !== 'admin'),
    delegation: {
      byUserId: row.delegated_by,
      byUsername: row.delegator_username,
      projectId: row.project_id,
      pushBranches: row.push_branches ?? '',
      agentSessionId: row.agent_session_id,
    },
  };
}

/**
 * The actor of a token, by the token's id: for in-process work (an agent run) that holds a
 * delegated token without going through HTTP. Throws 401 like authentication does.
 */
export async function actorForToken(db: Queryable, clock: Clock, tokenId: string): Promise<Actor> {
  return tokenActor(await findTokenWithUser(db, { id: tokenId }), clock.now());
}

function sessionActor(row: SessionWithUser | undefined, now: Date): Actor | undefined {
  // Only people hold sessions (login refuses agents and services; this covers any row made otherwise).
  if (!row || row.expires_at <= now || row.disabled || row.kind !== 'human') return undefined;
  return {
    userId: row.user_id,
    username: row.username,
    role: row.role,
    via: 'session',
    scopes: scopesForRole(row.role),
    sessionId: row.id_hash,
    expiresAt: row.expires_at,
    ...(row.must_register_passkey ? { mustRegisterPasskey: true } : {}),
  };
}

/** What makes repeated authentication cheap: a credential cache and last-use writes off the request path. */
export interface CredentialDeps {
  cache?: ActorCache;
  lastUse?: LastUseRecorder;
}

/** Resolves an API token to its actor; throws 401 for an unknown, revoked or expired token. */
export async function authenticateToken(
  db: Queryable,
  clock: Clock,
  token: string,
  deps: CredentialDeps = {},
): Promise<Actor> {
  if (!TOKEN_PATTERN.test(token))
    throw new UnauthorizedError('The API token is malformed; tokens look like orch_….');
  const hash = hashToken(token);
  const now = clock.now();
  const { cache, lastUse } = deps;
  const key = `token:${hash}`;
  const hit = cache?.get(key, now);
  if (hit) {
    lastUse?.note(hit.actor.tokenId!, now);
    return hit.actor;
  }
  const stamp = cache?.stamp() ?? 0;
  const row = await findTokenWithUser(db, { hash });
  const actor = tokenActor(row, now);
  if (lastUse) lastUse.note(actor.tokenId!, now, row?.last_used_at);
  // Last use is recorded at minute resolution, so most requests skip the write.
  else if (row && (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000))
    await touchTokens(db, new Map([[row.id, now]]));
  cache?.set(key, { actor }, stamp);
  return actor;
}

/**
 * Reads an actor's token or session again (open event streams re-check their opener with it):
 * the actor as it is now, or a 401 saying why the credential no longer holds.
 */
export async function reloadActor(db: Queryable, clock: Clock, actor: Actor): Promise<Actor> {
  if (actor.via === 'token' && actor.tokenId)
    return tokenActor(await findTokenWithUser(db, { id: actor.tokenId }), clock.now());
  if (actor.via === 'session' && actor.sessionId) {
    const fresh = sessionActor(await findSessionWithUser(db, actor.sessionId), clock.now());
    if (fresh) return fresh;
    throw new UnauthorizedError('The session has ended (logged out, expired or disabled); log in again.');
  }
  throw new UnauthorizedError('This credential cannot be checked again; authenticate afresh.');
}

/** Resolves a session cookie; cookie-authenticated mutations must carry the CSRF header. */
export async function authenticateSession(
  db: Queryable,
  clock: Clock,
  sessionId: string,
  method: string,
  csrfHeader: string | undefined,
  deps: CredentialDeps = {},
): Promise<Actor | undefined> {
  const hash = hashToken(sessionId);
  const key = `session:${hash}`;
  const now = clock.now();
  let session = deps.cache?.get(key, now);
  if (!session) {
    const stamp = deps.cache?.stamp() ?? 0;
    const row = await findSessionWithUser(db, hash);
    const actor = sessionActor(row, now);
    if (!actor || !row) return undefined;
    session = { actor, csrfToken: row.csrf_token };
    deps.cache?.set(key, session, stamp);
  }
  if (!SAFE_METHODS.has(method) && csrfHeader !== session.csrfToken) {
    throw new ForbiddenError(`CSRF check failed: send the ${CSRF_HEADER} header with the token from login.`);
  }
  return session.actor;
}

/** The authenticator the HTTP server calls for every protected route. */
export function createAuthenticator(db: Queryable, clock: Clock, deps: CredentialDeps = {}) {
  return async (request: FastifyRequest): Promise<Actor | undefined> => {
    const header = request.headers.authorization;
    if (header) {
      const [scheme, value] = header.split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || !value) {
        throw new UnauthorizedError('Use Authorization: Bearer <token>.');
      }
      return authenticateToken(db, clock, value.trim(), deps);
    }
    const sessionId = request.cookies?.[SESSION_COOKIE];
    if (sessionId) {
      const csrf = request.headers[CSRF_HEADER];
      return authenticateSession(
        db,
        clock,
        sessionId,
        request.method,
        typeof csrf === 'string' ? csrf : undefined,
        deps,
      );
    }
    return undefined;
  };
}
