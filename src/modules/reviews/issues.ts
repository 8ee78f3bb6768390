import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import type { Resources } from '../../platform/resources.ts';
import { findUserByName, recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { publishReviewEvent, type ReviewDeps } from './events.ts';
import { findIssue } from './find-issue.ts';
import type { CreateIssueBody, UpdateIssueBody } from './schemas.ts';
import { insertIssue, nextNumber, updateIssue as storeUpdateIssue } from './store.ts';
import { toIssueView } from './views.ts';

async function assigneeId(db: Db, username: string | null | undefined): Promise<string | null | undefined> {
  if (username === undefined) return undefined;
  if (username === null) return null;
  const user = await findUserByName(db, username);
  if (!user)
    throw new ValidationError(`No user "${username}".`, [
      { field: 'body.assignee', message: 'is not a user' },
    ]);
  return user.id;
}

/** Opens an issue (developers and up). */
export async function createIssue(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  input: CreateIssueBody,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const assignee = await assigneeId(res.db, input.assignee);
  const issue = await withTransaction(res.db, async (tx) => {
    const number = await nextNumber(tx, project.id, 'issue');
    const id = await insertIssue(tx, {
      projectId: project.id,
      number,
      title: input.title,
      body: input.body ?? '',
      labels: [...new Set(input.labels ?? [])],
      assigneeId: assignee ?? null,
      authorId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'issue.create',
      target: { type: 'issue', id },
      projectId: project.id,
      data: { number },
    });
    return toIssueView((await findIssue(tx, project.id, number))!);
  });
  await publishReviewEvent(res.logger, deps.onEvent, {
    type: 'issue',
    action: 'opened',
    projectId: project.id,
    projectSlug: slug,
    actor: ctx.actor,
    issue,
  });
  return issue;
}

/** Edits an issue: title, body, labels, assignee, state. */
export async function updateIssue(
  res: Resources,
  deps: ReviewDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
  input: UpdateIssueBody,
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const assignee = await assigneeId(res.db, input.assignee);
  const { before, issue } = await withTransaction(res.db, async (tx) => {
    const before = await findIssue(tx, project.id, number);
    if (!before) throw new NotFoundError(`No issue #${number} in "${slug}".`);
    await storeUpdateIssue(tx, before.id, {
      title: input.title,
      body: input.body,
      labels: input.labels && [...new Set(input.labels)],
      assigneeId: assignee,
      state: input.state,
    });
    await recordAudit(tx, ctx, {
      action: 'issue.update',
      target: { type: 'issue', id: before.id },
      projectId: project.id,
      data: { number, fields: Object.keys(input) },
    });
    return { before, issue: toIssueView((await findIssue(tx, project.id, number))!) };
  });
  const action =
    before.state !== issue.state ? (issue.state === 'closed' ? 'closed' : 'reopened') : 'updated';
  await publishReviewEvent(res.logger, deps.onEvent, {
    type: 'issue',
    action,
    projectId: project.id,
    projectSlug: slug,
    actor: ctx.actor,
    issue,
  });
  return issue;
}
