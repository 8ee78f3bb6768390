import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { findIssue } from './find-issue.ts';
import type { IssueView } from './schemas.ts';
import { toIssueView } from './views.ts';

/** One issue of a project (viewers). */
export async function getIssue(
  db: Queryable,
  actor: Actor,
  slug: string,
  number: number,
): Promise<IssueView> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const issue = await findIssue(db, project.id, number);
  if (!issue) throw new NotFoundError(`No issue #${number} in "${slug}".`);
  return toIssueView(issue);
}
