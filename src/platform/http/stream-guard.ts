import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';
import { type AccessChange, concerns, type EventBus, watchAccessChanges } from '../events/index.ts';
import type { Logger } from '../log.ts';
import type { Actor } from './actor.ts';
import type { SseStream } from './sse-stream.ts';

/** Reads an actor's credential again (token, session, user): a fresh actor, or a 401 when it no longer holds. */
export type ActorReloader = (actor: Actor) => Promise<Actor>;

/** What an event stream needs to go on: declared by the route that opens it. */
export interface StreamAccess {
  /** The project the stream shows: membership changes there re-check it. */
  projectId?: string;
  /** The route's own check, run again with the opener's fresh actor; throws when access is gone. */
  check(actor: Actor): Promise<unknown>;
}

export interface StreamGuard {
  /**
   * Follows `stream` until it closes: whenever its opener's access may have shrunk (a notice from
   * any process, the credential's expiry, the periodic safety check) the credential and the
   * route's checks run again; a stream that lost access gets a last `end` event and is closed.
   * `route` repeats the route-level checks (scope, admin) for a fresh actor.
   */
  watch(
    stream: SseStream,
    actor: Actor,
    access: StreamAccess,
    route: (actor: Actor) => void,
    openedForMs?: number,
  ): void;
  readonly size: number;
  close(): void;
}

export interface StreamGuardOptions {
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  reload: ActorReloader;
  /** Every open stream is re-checked this often, in case a notice was lost (0: never). */
  recheckMs?: number;
}

interface Watched {
  stream: SseStream;
  actor: Actor;
  access: StreamAccess;
  route: (actor: Actor) => void;
  checking?: Promise<void>;
  again: boolean;
  expiry?: NodeJS.Timeout;
}

/** Notices are remembered this long so a stream being opened while one arrives is checked too. */
const RECENT_MS = 10_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_CONCURRENT_CHECKS = 4;

export function createStreamGuard(options: StreamGuardOptions): StreamGuard {
  const { logger, clock } = options;
  const watched = new Set<Watched>();
  const recent: Array<{ at: number; change: AccessChange | 'all' }> = [];
  let watcher: ReturnType<typeof watchAccessChanges> | undefined;
  let ready = false;
  let sweep: NodeJS.Timeout | undefined;

  const who = (w: Watched) => ({
    userId: w.actor.userId,
    tokenId: w.actor.tokenId,
    sessionId: w.actor.sessionId,
    projectId: w.access.projectId,
  });

  // An agent's stream also hangs on the person it acts for (disabled, no longer a member).
  const concerned = (change: AccessChange | 'all', w: Watched) =>
    concerns(change, who(w)) ||
    (w.actor.delegation !== undefined &&
      concerns(change, { userId: w.actor.delegation.byUserId, projectId: w.access.projectId }));

  const end = (w: Watched, message: string) => {
    logger.info({ userId: w.actor.userId, reason: message }, 'event stream ended: access revoked');
    w.stream.end({ event: 'end', data: JSON.stringify({ reason: 'access revoked', message }) });
  };

  const scheduleExpiry = (w: Watched) => {
    clearTimeout(w.expiry);
    const at = w.actor.expiresAt;
    if (!at) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at.getTime() - clock.now().getTime()));
    w.expiry = setTimeout(() => void recheck(w), delay);
    w.expiry.unref();
  };

  const verify = async (w: Watched): Promise<string | undefined> => {
    try {
      const fresh = await options.reload(w.actor);
      w.route(fresh);
      await w.access.check(fresh);
      w.actor = fresh;
      scheduleExpiry(w);
      return undefined;
    } catch (error) {
      if (error instanceof DomainError && [401, 403, 404].includes(error.status)) return error.message;
      throw error;
    }
  };

  // A few checks at a time: a sweep over thousands of streams must not take the whole pool.
  let running = 0;
  const queued: Array<() => void> = [];
  const limited = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= MAX_CONCURRENT_CHECKS) await new Promise<void>((resolve) => queued.push(resolve));
    running += 1;
    try {
      return await fn();
    } finally {
      running -= 1;
      queued.shift()?.();
    }
  };

  /**
   * `hold`: the stream's events wait while its access is checked, so nothing leaks in between
   * (when something changed). The periodic sweep does not hold: it only catches lost notices.
   */
  const recheck = (w: Watched, hold = true): Promise<void> => {
    if (hold) w.stream.pause();
    if (w.checking) {
      w.again = true;
      return w.checking;
    }
    if (w.stream.closed) return Promise.resolve();
    w.checking = (async () => {
      try {
        do {
          w.again = false;
          const lost = await limited(() => verify(w));
          if (lost !== undefined) return end(w, lost);
        } while (w.again && !w.stream.closed);
        w.stream.resume();
      } catch (error) {
        // Unable to tell (database unreachable): drop the connection; the client reconnects with
        // its Last-Event-ID and is authenticated afresh.
        logger.warn({ err: error }, 'could not re-check an event stream’s access; dropping it');
        w.stream.destroy();
      }
    })().finally(() => {
      w.checking = undefined;
    });
    return w.checking;
  };

  const onChange = (change: AccessChange | 'all') => {
    const now = performance.now();
    recent.push({ at: now, change });
    while (recent.length && (recent[0]!.at < now - RECENT_MS || recent.length > 1_000)) recent.shift();
    for (const w of watched) if (concerned(change, w)) void recheck(w);
  };

  const start = () => {
    watcher = watchAccessChanges(options.bus, logger, onChange);
    watcher.ready.then(
      () => {
        ready = true;
        // Streams opened before LISTEN was in place may have missed a notice.
        for (const w of watched) void recheck(w);
      },
      () => {
        // The bus keeps retrying and reports 'all' on reconnect.
      },
    );
    if (options.recheckMs) {
      sweep = setInterval(() => {
        for (const w of watched) void recheck(w, false);
      }, options.recheckMs);
      sweep.unref();
    }
  };

  return {
    watch(stream, actor, access, route, openedForMs = 0) {
      if (stream.closed) return;
      if (!watcher) start();
      const w: Watched = { stream, actor, access, route, again: false };
      watched.add(w);
      stream.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(w.expiry);
          watched.delete(w);
        },
        { once: true },
      );
      scheduleExpiry(w);
      // A notice that arrived while the request was being checked would otherwise be missed.
      const since = performance.now() - openedForMs - 1_000;
      if (ready && recent.some((r) => r.at >= since && concerned(r.change, w))) void recheck(w);
    },
    get size() {
      return watched.size;
    },
    close() {
      clearInterval(sweep);
      watcher?.stop();
      watcher = undefined;
      ready = false;
    },
  };
}
