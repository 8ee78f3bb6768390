import { type AccessChange, type EventBus, watchAccessChanges } from '../../platform/events/index.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { Logger } from '../../platform/log.ts';

export interface CachedCredential {
  actor: Actor;
  /** Sessions: the CSRF token mutations must echo. */
  csrfToken?: string;
}

export interface ActorCache {
  /** The credential stored under `key` (a token's or session's hash), if fresh. */
  get(key: string, now: Date): CachedCredential | undefined;
  /** A stamp to take before reading the database; `set` ignores rows read before a change arrived. */
  stamp(): number;
  set(key: string, value: CachedCredential, stamp: number): void;
  /**
   * Drops what `change` concerns at once. Use cases call it after their commit so this process
   * never serves a stale credential (others learn of it from the notice, milliseconds later).
   */
  drop(change: AccessChange): void;
  readonly size: number;
  close(): void;
}

export interface ActorCacheOptions {
  bus: EventBus;
  logger: Logger;
  /** How long an entry is trusted without a notice (0: nothing is cached). */
  ttlMs: number;
  maxEntries: number;
}

/**
 * Token and session → actor lookups, remembered for a short TTL. Every process drops an entry as
 * soon as a notice says its token, session or user changed (revoked, logged out, disabled, new role),
 * so a revoked token is refused everywhere at once; the TTL only bounds a notice that was lost.
 * Nothing is cached until the LISTEN connection is in place, and everything is dropped when it comes
 * back after a loss. Failed lookups are never cached.
 */
export function createActorCache(options: ActorCacheOptions): ActorCache {
  const entries = new Map<string, CachedCredential & { until: number }>();
  let generation = 0;
  let live = false;
  const enabled = options.ttlMs > 0;

  const onChange = (change: AccessChange | 'all') => {
    generation += 1;
    if (change === 'all') {
      entries.clear();
      return;
    }
    // Membership is not cached: a project-only change leaves credentials alone.
    if (
      change.userId === undefined &&
      change.tokenId === undefined &&
      change.sessionId === undefined &&
      !change.allSessions
    )
      return;
    for (const [key, { actor }] of entries) {
      if (
        (!change.allSessions || actor.sessionId !== undefined) &&
        // A delegated token also falls with the person it acts for (disabled, deleted).
        (change.userId === undefined ||
          change.userId === actor.userId ||
          change.userId === actor.delegation?.byUserId) &&
        (change.tokenId === undefined || change.tokenId === actor.tokenId) &&
        (change.sessionId === undefined || change.sessionId === actor.sessionId)
      )
        entries.delete(key);
    }
  };
  const watcher = enabled ? watchAccessChanges(options.bus, options.logger, onChange) : undefined;
  watcher?.ready.then(
    () => {
      live = true;
    },
    () => undefined,
  );

  return {
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= performance.now() || (entry.actor.expiresAt && entry.actor.expiresAt <= now)) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    stamp: () => generation,
    drop: onChange,
    set(key, value, stamp) {
      if (!live || stamp !== generation) return;
      if (entries.size >= options.maxEntries && !entries.has(key)) {
        // Oldest first: Map keeps insertion order.
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      Object.freeze(value.actor.scopes);
      entries.set(key, {
        ...value,
        actor: Object.freeze(value.actor),
        until: performance.now() + options.ttlMs,
      });
    },
    get size() {
      return entries.size;
    },
    close() {
      watcher?.stop();
      live = false;
      entries.clear();
    },
  };
}
