import type { TokenView, UserView } from './schemas.ts';
import type { TokenRow, UserRow } from './store.ts';

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    kind: row.kind,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}

export function toTokenView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
