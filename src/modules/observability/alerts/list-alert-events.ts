import { NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type PageQuery } from '../../../platform/http/cursor.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AlertDeps } from './alert-deps.ts';
import type { AlertEventView } from './alert-schemas.ts';
import { findAlertRule, listAlertEventRows } from './alert-store.ts';

/** A rule's state changes with the value each was decided on, newest first (viewers). */
export async function listAlertEvents(
  deps: AlertDeps,
  actor: Actor,
  input: { slug: string; id: string } & PageQuery,
) {
  const { project } = await requireProjectRole(deps.db, actor, input.slug, 'viewer');
  const rule = await findAlertRule(deps.db, project.id, input.id);
  if (!rule) throw new NotFoundError(`No alert rule ${input.id} in "${input.slug}".`);
  const after = decodeCursor(input.cursor, CursorShape.serial);
  return fetchPage(
    input.limit,
    (n) => listAlertEventRows(deps.db, rule.id, after?.[0], n),
    (row) => [row.id],
    (row): AlertEventView => ({
      id: row.id,
      from: row.from_state,
      to: row.to_state,
      value: row.value,
      silenced: row.silenced,
      at: row.at.toISOString(),
    }),
  );
}
