import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { FULL_PATH } from '../feature-machine.ts';
import type { BoardQuery } from './board-schemas.ts';
import { loadBoard } from './load-board.ts';

/** `GET /api/projects/:slug/board`: a column per phase, the cards, the assignees to filter by. */
export async function getBoard(db: Queryable, actor: Actor, slug: string, query: BoardQuery) {
  const board = await loadBoard(db, actor, slug, query);
  return {
    columns: [...FULL_PATH],
    cards: board.cards,
    assignees: board.assignees,
    truncated: board.truncated,
  };
}
