import pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { outsideTrace } from '../tracing.ts';

/** A live subscription; call it to unsubscribe. `ready` resolves once the channel is LISTENed. */
export type Subscription = (() => void) & { ready: Promise<void> };

/**
 * Cross-process notifications over PostgreSQL LISTEN/NOTIFY. One dedicated connection per process
 * serves every subscriber (SSE clients, worker pools, waiters); it connects on the first
 * subscription, reconnects with backoff when lost, and closes when the last subscriber leaves.
 * Payloads are small pointers (ids); subscribers read the rows themselves.
 */
export interface EventBus {
  subscribe(channel: string, listener: (payload: string) => void): Subscription;
  /** Called after a lost connection is re-established: notifications may have been missed. */
  onReconnect(fn: () => void): () => void;
  close(): Promise<void>;
}

export interface EventBusOptions {
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Close the connection this long after the last subscriber left. */
  idleCloseMs?: number;
  /** A `SELECT 1` this often detects a connection that died silently. */
  pingMs?: number;
  /**
   * A ping or LISTEN unanswered this long fails (default 10 s): a frozen or unreachable server
   * then costs a reconnect, not a connection that silently hears nothing.
   */
  statementTimeoutMs?: number;
  /** Connecting gives up after this long (then the reconnect backoff continues). */
  connectTimeoutMs?: number;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** Sends a notification inside the caller's transaction (delivered on commit). */
export async function notify(db: Queryable, channel: string, payload: string) {
  await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

export function createEventBus(databaseUrl: string, logger: Logger, options: EventBusOptions = {}): EventBus {
  const minDelay = options.reconnectMinMs ?? 250;
  const maxDelay = options.reconnectMaxMs ?? 5_000;
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const reconnectHooks = new Set<() => void>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  // Channels LISTENed (or being LISTENed) on the current connection.
  let listening = new Map<string, Promise<void>>();
  let closed = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;

  // One statement at a time per connection (pg deprecates queueing on a busy client).
  const serial = new WeakMap<pg.Client, Promise<unknown>>();
  const run = (on: pg.Client, sql: string): Promise<unknown> => {
    const next = (serial.get(on) ?? Promise.resolve()).catch(() => undefined).then(() => on.query(sql));
    serial.set(on, next);
    return next;
  };

  const dispatch = (message: pg.Notification) => {
    for (const fn of listeners.get(message.channel) ?? []) {
      try {
        fn(message.payload ?? '');
      } catch (error) {
        logger.error({ err: error, channel: message.channel }, 'event bus listener failed');
      }
    }
  };

  const drop = (current: pg.Client, reason: unknown) => {
    if (client !== current) return;
    client = undefined;
    listening = new Map();
    clearInterval(pingTimer);
    current.removeAllListeners('notification');
    current.end().catch(() => undefined);
    if (closed || listeners.size === 0) return;
    logger.warn({ err: reason }, 'event bus connection lost; reconnecting');
    scheduleReconnect();
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString: databaseUrl,
        keepAlive: true,
        application_name: 'orchard-bus',
        connectionTimeoutMillis: options.connectTimeoutMs,
        query_timeout: options.statementTimeoutMs ?? 10_000,
      });
      next.on('error', (error) => drop(next, error));
      next.on('end', () => drop(next, new Error('connection ended')));
      // Whoever first subscribed opened the connection; its notifications belong to no trace.
      next.on('notification', outsideTrace(dispatch));
      try {
        await next.connect();
      } catch (error) {
        next.end().catch(() => undefined);
        throw error;
      }
      if (closed) {
        await next.end().catch(() => undefined);
        throw new Error('event bus is closed');
      }
      client = next;
      failures = 0;
      pingTimer = setInterval(() => {
        run(next, 'SELECT 1').catch((error) => drop(next, error));
      }, options.pingMs ?? 30_000);
      pingTimer.unref();
      return next;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const listen = (channel: string): Promise<void> => {
    const existing = listening.get(channel);
    if (existing) return existing;
    const started = connect().then(async (current) => {
      if (!listeners.has(channel)) return;
      await run(current, `LISTEN ${channel}`).catch((error) => {
        drop(current, error);
        throw error;
      });
    });
    listening.set(channel, started);
    started.catch(() => {
      if (listening.get(channel) === started) listening.delete(channel);
    });
    return started;
  };

  const scheduleReconnect = () => {
    if (reconnectTimer || closed) return;
    const ceiling = Math.min(maxDelay, minDelay * 2 ** failures);
    failures += 1;
    reconnectTimer = setTimeout(
      async () => {
        reconnectTimer = undefined;
        if (closed || listeners.size === 0) return;
        try {
          for (const channel of listeners.keys()) await listen(channel);
          logger.info({ channels: [...listening.keys()] }, 'event bus reconnected');
          for (const hook of reconnectHooks) hook();
        } catch (error) {
          logger.warn({ err: error }, 'event bus reconnect failed');
          scheduleReconnect();
        }
      },
      ceiling / 2 + Math.random() * (ceiling / 2),
    );
  };

  const scheduleIdleClose = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (listeners.size > 0 || !client) return;
      const current = client;
      client = undefined;
      listening = new Map();
      clearInterval(pingTimer);
      current.end().catch(() => undefined);
    }, options.idleCloseMs ?? 10_000);
    idleTimer.unref();
  };

  return {
    subscribe(channel, listener) {
      if (!CHANNEL.test(channel)) throw new Error(`Invalid channel name "${channel}"`);
      if (closed) throw new Error('event bus is closed');
      clearTimeout(idleTimer);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      const ready = listen(channel).catch((error) => {
        // Subscribers stay registered: the bus keeps retrying and fires onReconnect when back.
        scheduleReconnect();
        throw error;
      });
      ready.catch(() => undefined);
      let active = true;
      const unsubscribe = () => {
        if (!active) return;
        active = false;
        set.delete(listener);
        if (set.size > 0) return;
        listeners.delete(channel);
        if (client && listening.delete(channel)) run(client, `UNLISTEN ${channel}`).catch(() => undefined);
        if (listeners.size === 0) scheduleIdleClose();
      };
      return Object.assign(unsubscribe, { ready });
    },
    onReconnect(fn) {
      reconnectHooks.add(fn);
      return () => reconnectHooks.delete(fn);
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      clearTimeout(idleTimer);
      clearInterval(pingTimer);
      listeners.clear();
      await connecting?.catch(() => undefined);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
