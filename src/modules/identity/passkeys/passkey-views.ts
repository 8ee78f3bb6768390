import type { PasskeyPolicyView, PasskeyView } from './passkey-schemas.ts';
import type { PasskeyRow, PolicyRow } from './passkey-store.ts';

export function toPasskeyView(row: PasskeyRow): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    transports: row.transports,
  };
}

export function toPolicyView(row: PolicyRow): PasskeyPolicyView {
  return { requirePasskeys: row.require_passkeys, updatedAt: row.updated_at?.toISOString() ?? null };
}
