import type { ServiceAccountView } from './service-account-schemas.ts';
import type { ServiceAccountRow } from './service-account-store.ts';

export function toServiceAccountView(row: ServiceAccountRow): ServiceAccountView {
  return {
    id: row.id,
    username: row.username,
    description: row.description,
    role: row.role,
    kind: 'service',
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    tokens: { active: row.active_tokens, total: row.tokens },
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
