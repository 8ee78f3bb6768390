import type { Queryable } from '../../../platform/db/pool.ts';
import { findUsernames } from '../../identity/index.ts';
import type { AllowedFindingRow } from './allowed-store.ts';
import type { AllowedFindingView } from './schemas.ts';

/** Rows as the API shows them, with the name of whoever allowed each. */
export async function toAllowedFindingViews(
  db: Queryable,
  rows: AllowedFindingRow[],
): Promise<AllowedFindingView[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.allowed_by ? [r.allowed_by] : [])))];
  const names = ids.length ? await findUsernames(db, ids) : new Map<string, string>();
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    reason: r.reason,
    allowedBy: r.allowed_by ? (names.get(r.allowed_by) ?? null) : null,
    allowedAt: r.allowed_at.toISOString(),
  }));
}
