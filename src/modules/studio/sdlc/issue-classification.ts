import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { getIssue } from '../../reviews/index.ts';
import { type ClassifyIssueDeps, classifyIssue, issueText, textHash } from './classify-issue.ts';
import { findIssueClassification, upsertIssueClassification } from './issue-classification-store.ts';
import { personClassification, type SdlcKind } from './sdlc-kinds.ts';

/** `GET …/issues/:number/classification` (viewers): null until the issue was classified. */
export async function getIssueClassification(db: Queryable, actor: Actor, slug: string, number: number) {
  const issue = await getIssue(db, actor, slug, number);
  const row = await findIssueClassification(db, issue.id);
  return { number, classification: row?.classification ?? null, operationId: null };
}

/**
 * `POST …/issues/:number/classification` (developers): classify it again now, replacing a person's
 * choice too, and (with a model) starting an operation that spends on it; audited.
 */
export async function reclassifyIssue(
  deps: ClassifyIssueDeps,
  ctx: RequestContext,
  slug: string,
  number: number,
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'developer');
  const issue = await getIssue(deps.db, ctx.actor, slug, number);
  const { row, operationId } = await classifyIssue(
    deps,
    ctx,
    { projectId: project.id, issue },
    {
      force: true,
      alongside: (tx, { row: classified, operationId: started, earlier }) =>
        recordAudit(tx, ctx, {
          action: 'issue.reclassify',
          target: { type: 'issue', id: issue.id },
          projectId: project.id,
          data: {
            number,
            from: earlier?.classification.kind ?? null,
            to: classified.classification.kind,
            operationId: started,
          },
        }),
    },
  );
  return { number, classification: row.classification, operationId };
}

/** `PUT …/issues/:number/classification` (developers): a person's choice of kind overrides the classifier; audited. */
export async function overrideIssueClassification(
  res: { db: Db; clock: Clock },
  ctx: RequestContext,
  slug: string,
  number: number,
  body: { kind: SdlcKind; reason?: string },
) {
  const { project } = await requireProjectRole(res.db, ctx.actor, slug, 'developer');
  const issue = await getIssue(res.db, ctx.actor, slug, number);
  return withTransaction(res.db, async (tx) => {
    const earlier = (await findIssueClassification(tx, issue.id))?.classification;
    const classification = personClassification(body.kind, ctx.actor.username, res.clock.now(), {
      reason: body.reason,
      earlier,
    });
    await upsertIssueClassification(tx, {
      issueId: issue.id,
      projectId: project.id,
      classification,
      textHash: textHash(issueText(issue)),
    });
    await recordAudit(tx, ctx, {
      action: 'issue.classify',
      target: { type: 'issue', id: issue.id },
      projectId: project.id,
      data: {
        number,
        from: earlier?.kind ?? null,
        to: body.kind,
        ...(body.reason ? { reason: body.reason } : {}),
      },
    });
    return { number, classification, operationId: null };
  });
}
