import type { Queryable } from '../../platform/db/pool.ts';

/** The operation of `kind` started with this idempotency key, if one was. */
export async function findOperationByKey(
  db: Queryable,
  kind: string,
  idempotencyKey: string,
): Promise<{ id: string } | undefined> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM operations WHERE kind = $1 AND idempotency_key = $2',
    [kind, idempotencyKey],
  );
  return rows[0];
}
