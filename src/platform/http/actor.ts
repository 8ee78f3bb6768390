/** Who is making a request, as resolved by the identity module's authenticator. */
export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/**
 * What a delegated token carries: an agent principal acting for a person, inside one project.
 * Such a token never holds more than developer there, pushes only to `pushBranches`, reads no
 * secrets and administers nothing (docs/security.md, "Agent tokens").
 */
export interface Delegation {
  /** The person who started the agent session and on whose behalf the agent acts. */
  byUserId: string;
  byUsername: string;
  projectId: string;
  /** A glob (`*` matches any characters, `/` included) the agent may push branches to, e.g. `orchard/*`. */
  pushBranches: string;
  agentSessionId: string | null;
}

export interface Actor {
  userId: string;
  username: string;
  role: 'admin' | 'member';
  /** How the request authenticated. */
  via: 'session' | 'token';
  /** Effective scopes: a token's own, or everything the user's role allows for a session. */
  scopes: Scope[];
  tokenId?: string;
  sessionId?: string;
  /** When the token or session stops being valid (none: a token without expiry). */
  expiresAt?: Date;
  /** Set for a delegated (agent) token: whom the agent acts for, and where. */
  delegation?: Delegation;
  /**
   * A session of a person without a passkey while the admin requires passkeys: only the routes
   * marked `beforePasskey` answer until they register one.
   */
  mustRegisterPasskey?: boolean;
}

/** Scopes nest: `admin` includes `write`, which includes `read`. */
export function hasScope(actor: Actor, needed: Scope): boolean {
  const rank: Record<Scope, number> = { read: 0, write: 1, admin: 2 };
  return actor.scopes.some((s) => rank[s] >= rank[needed]);
}

/** A system actor for work Orchard does on its own behalf (reconcilers, bootstrap). */
export const SYSTEM_ACTOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  role: 'admin',
  via: 'token',
  scopes: ['admin'],
};

export function isSystemActor(actor: Actor) {
  return actor.userId === SYSTEM_ACTOR.userId;
}

/** How an actor is named in the audit log and activity: `agent-shop (for alice)` for an agent. */
export function actorDisplayName(actor: Actor): string {
  return actor.delegation ? `${actor.username} (for ${actor.delegation.byUsername})` : actor.username;
}
