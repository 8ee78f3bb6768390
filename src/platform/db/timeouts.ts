import type pg from 'pg';

/** How long the pool waits on PostgreSQL (config `database.*`); 0 or absent means no limit. */
export interface DatabaseTimeouts {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  queryTimeoutMs?: number;
}

/** The `pg` pool settings for `timeouts` (the server-side ones travel in the startup packet). */
export function poolTimeoutSettings(timeouts: DatabaseTimeouts = {}): pg.PoolConfig {
  const limit = (ms: number | undefined) => (ms && ms > 0 ? ms : undefined);
  return {
    connectionTimeoutMillis: limit(timeouts.connectTimeoutMs),
    statement_timeout: limit(timeouts.statementTimeoutMs),
    lock_timeout: limit(timeouts.lockTimeoutMs),
    idle_in_transaction_session_timeout: limit(timeouts.idleInTransactionTimeoutMs),
    query_timeout: limit(timeouts.queryTimeoutMs),
  };
}

/** Client-side failures of `pg`/`pg-pool`: the server did not answer, or the connection is gone. */
const LOST = /^(Query read timeout|Connection terminated|timeout exceeded when trying to connect)/;
/** Node's errors when connecting to the server fails (ENOENT: its Unix socket is gone). */
const CONNECT_FAILED = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOENT', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * SQLSTATEs of a server that is busy, stopping, or cut a statement short: statement_timeout and
 * cancels (57014), lock_timeout (55P03), idle_in_transaction_session_timeout (25P03), shutdown and
 * start-up (57P0x), too many connections (53300), and the connection-exception class (08).
 */
const UNAVAILABLE_STATES = new Set(['57014', '55P03', '25P03', '57P01', '57P02', '57P03', '53300']);

/**
 * Whether `error` means PostgreSQL did not answer in time or could not be reached — a 503, not a
 * bug: the request may succeed when it is retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
  const syscall = (error as { syscall?: unknown }).syscall;
  if (typeof code === 'string' && syscall === 'connect' && CONNECT_FAILED.has(code)) return true;
  return LOST.test(error.message);
}

/**
 * Whether the connection that raised `error` must be dropped: after a client-side timeout its
 * query is still in flight, and the next statement sent on it would wait behind that query.
 */
export function isConnectionBroken(error: unknown): boolean {
  return error instanceof Error && /^(Query read timeout|Connection terminated)/.test(error.message);
}
