import type { SecretView } from './schemas.ts';
import type { SecretRow } from './store.ts';

export function toSecretView(row: SecretRow): SecretView {
  return {
    name: row.name,
    version: row.version,
    protected: row.protected,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
