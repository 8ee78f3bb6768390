import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../../platform/db/pool.ts';
import { bearerToken, type RequestHeaders } from '../../../platform/http/header-values.ts';
import { TtlCache } from '../../../platform/ttl-cache.ts';
import type { Vault } from '../../secrets/index.ts';
import type { IngestTenant } from './ingest-tenant.ts';
import {
  findIngestToken,
  findTenantByTokenHash,
  ingestTokenAad,
  insertIngestToken,
  sealedToken,
} from './ingest-token-store.ts';

/** Ingest tokens start with this, so a leaked one is recognisable (and scanners can match it). */
export const INGEST_TOKEN_PREFIX = 'oit_';

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * The environment's ingest token, made on first use: random, kept hashed for lookup and sealed by
 * the vault so the deploy runtime can hand the same token to the app at every (re)start.
 */
export async function ensureIngestToken(
  deps: { db: Queryable; vault: Vault },
  tenant: IngestTenant,
): Promise<string> {
  let row = await findIngestToken(deps.db, tenant.environmentId);
  if (!row) {
    const token = `${INGEST_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await insertIngestToken(deps.db, {
      ...tenant,
      hash: hashOf(token),
      sealed: deps.vault.seal(token, ingestTokenAad(tenant.environmentId)),
    });
    // A concurrent start may have inserted first: the stored one is the token.
    row = await findIngestToken(deps.db, tenant.environmentId);
    if (!row) throw new Error(`The environment ${tenant.environmentId} no longer exists.`);
  }
  return deps.vault.open(sealedToken(row), ingestTokenAad(row.environment_id));
}

/** Token → environment, cached briefly: every export request asks. */
export type IngestAuthenticator = (token: string | undefined) => Promise<IngestTenant | undefined>;

export function createIngestAuthenticator(
  db: Queryable,
  options: { ttlMs?: number } = {},
): IngestAuthenticator {
  const cache = new TtlCache<IngestTenant | undefined>(options.ttlMs ?? 30_000, 10_000);
  return async (token) => {
    if (!token?.startsWith(INGEST_TOKEN_PREFIX) || token.length > 200) return undefined;
    const hash = hashOf(token);
    return cache.get(hash.toString('base64'), () => findTenantByTokenHash(db, hash));
  };
}

/** The token of a request: `Authorization: Bearer …` or `x-orchard-ingest-token`. */
export function ingestTokenOf(headers: RequestHeaders): string | undefined {
  const given = headers['x-orchard-ingest-token'];
  if (typeof given === 'string' && given) return given.trim();
  return bearerToken(headers);
}
