/** Who is making a request, as resolved by the identity module's authenticator. */
export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

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
