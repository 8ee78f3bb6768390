import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { refuseAgents } from './agent-refusal.ts';
import type { SecretView } from './schemas.ts';
import { listSecretRows } from './store.ts';
import { toSecretView } from './views.ts';

/** A project's secrets, names and metadata only, never values (developers). */
export async function listSecrets(
  db: Queryable,
  actor: Actor,
  slug: string,
): Promise<{ items: SecretView[]; nextCursor: null }> {
  refuseAgents(actor);
  const { project } = await requireProjectRole(db, actor, slug, 'developer');
  return { items: (await listSecretRows(db, project.id)).map(toSecretView), nextCursor: null };
}
