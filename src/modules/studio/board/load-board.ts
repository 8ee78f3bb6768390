import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { FeatureRow } from '../feature-store.ts';
import type { AssigneeView, BoardCard, BoardQuery } from './board-schemas.ts';
import { BOARD_LIMIT, listProjectFeatureRows } from './board-store.ts';
import { featureCards } from './feature-cards.ts';

function matches(card: BoardCard, query: BoardQuery): boolean {
  if (query.kind && card.kind !== query.kind) return false;
  if (query.assigneeKind && card.assignee?.kind !== query.assigneeKind) return false;
  if (query.assignee === 'none') return card.assignee === null;
  if (query.assignee && card.assignee?.key !== query.assignee) return false;
  return true;
}

/**
 * A project's features as board cards (viewers), filtered by assignee and kind; with the rows
 * behind the cards shown, everyone assigned (the filter's choices) and whether the board is cut.
 */
export async function loadBoard(db: Queryable, actor: Actor, slug: string, query: BoardQuery) {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer', { allowArchived: true });
  const rows = await listProjectFeatureRows(db, project.id);
  const all = await featureCards(db, project.id, rows);
  const assignees = new Map<string, AssigneeView>();
  for (const c of all) if (c.assignee) assignees.set(c.assignee.key, c.assignee);
  const cards = all.filter((c) => matches(c, query));
  const shown = new Set(cards.map((c) => c.id));
  return {
    project,
    cards,
    rows: rows.filter((r): r is FeatureRow => shown.has(r.id)),
    assignees: [...assignees.values()].sort((a, b) => a.name.localeCompare(b.name)),
    truncated: rows.length === BOARD_LIMIT,
  };
}
