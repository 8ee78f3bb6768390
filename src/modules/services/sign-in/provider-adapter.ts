import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Queryable } from '../../../platform/db/pool.ts';

/** An app's client metadata, made from its environment's "signin" credential (never stored as a model). */
export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

/**
 * oidc-provider's storage on PostgreSQL (`sign_in_provider_models`), one adapter per model name;
 * `Client` is answered by `clients` instead, from the environments that attached the sign-in
 * service. Expired rows are never returned (and are swept by `sweepSignInModels`).
 */
export function providerAdapter(db: Queryable, clients: ClientLookup, now: () => Date) {
  return class PostgresAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('Clients are made from service credentials.');
      const expires = expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null;
      await db.query(
        `INSERT INTO sign_in_provider_models (model, id, payload, grant_id, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, expires],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return clients(id);
      return this.one('id = $2', id);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.one('uid = $2', uid);
    }

    async findByUserCode(): Promise<undefined> {
      return undefined; // no device flow
    }

    async consume(id: string): Promise<void> {
      await db.query(`UPDATE sign_in_provider_models SET consumed_at = $3 WHERE model = $1 AND id = $2`, [
        this.model,
        id,
        now(),
      ]);
    }

    async destroy(id: string): Promise<void> {
      await db.query('DELETE FROM sign_in_provider_models WHERE model = $1 AND id = $2', [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.query('DELETE FROM sign_in_provider_models WHERE grant_id = $1', [grantId]);
    }

    private async one(where: string, value: string): Promise<AdapterPayload | undefined> {
      const { rows } = await db.query<{ payload: AdapterPayload; consumed_at: Date | null }>(
        `SELECT payload, consumed_at FROM sign_in_provider_models
         WHERE model = $1 AND ${where} AND (expires_at IS NULL OR expires_at > $3)`,
        [this.model, value, now()],
      );
      const row = rows[0];
      if (!row) return undefined;
      // oidc-provider reads `consumed` to refuse a code used twice (and revoke what it gave).
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
        : row.payload;
    }
  };
}

/** Drops models past their expiry (the reconciler's sweep calls it). */
export async function sweepSignInModels(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sign_in_provider_models WHERE expires_at <= $1', [now]);
  return rowCount ?? 0;
}
