import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import type { LlmGateway } from '../../llm/index.ts';
import { type Registry, type StepContext, startOperation } from '../../operations/index.ts';
import { classifyByRules } from './classify-by-rules.ts';
import { classifyRequest } from './classify-request.ts';
import { CLASSIFIER_ALIAS } from './classify-with-llm.ts';
import {
  findIssueClassification,
  type IssueClassificationRow,
  refineIssueClassification,
  upsertIssueClassification,
} from './issue-classification-store.ts';

export const CLASSIFY_ISSUE_KIND = 'studio.classify-issue';

/** `studio.classify-issue`: the LLM's reading of an issue, replacing the rules' when it arrives. */
export const ClassifyIssueInput = z.object({
  projectId: z.uuid(),
  issueId: z.uuid(),
  number: z.int().min(1),
  text: z.string().max(70_000),
  textHash: z.string().min(1),
});
export type ClassifyIssueInput = z.infer<typeof ClassifyIssueInput>;

export interface ClassifyIssueDeps {
  db: Db;
  clock: Clock;
  registry: Registry;
  llm?: Pick<LlmGateway, 'isConfigured' | 'generateObject'>;
}

/** What an issue asks, as the classifier reads it. */
export const issueText = (issue: { title: string; body: string }) => `${issue.title}\n\n${issue.body}`.trim();
export const textHash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Classifies an issue (new feature, change, bug fix or chore): the rules answer at once, and when a
 * model serves the `fast` alias a `studio.classify-issue` operation asks it and replaces their answer.
 * An issue whose text did not change is not classified again, nor one a person classified — unless
 * `force` (someone asked for it).
 */
export async function classifyIssue(
  deps: ClassifyIssueDeps,
  ctx: RequestContext,
  target: { projectId: string; issue: { id: string; number: number; title: string; body: string } },
  options: {
    force?: boolean;
    /** Written in the same transaction as the classification and its operation (an audit row). */
    alongside?: (
      tx: Queryable,
      classified: {
        row: IssueClassificationRow;
        operationId: string | null;
        earlier: IssueClassificationRow | undefined;
      },
    ) => Promise<void>;
  } = {},
): Promise<{ row: IssueClassificationRow; operationId: string | null }> {
  const text = issueText(target.issue);
  const hash = textHash(text);
  const existing = await findIssueClassification(deps.db, target.issue.id);
  if (
    existing &&
    !options.force &&
    (existing.classification.source === 'person' || existing.text_hash === hash)
  )
    return { row: existing, operationId: null };
  const withModel = deps.llm ? await deps.llm.isConfigured({ alias: CLASSIFIER_ALIAS }) : false;
  return withTransaction(deps.db, async (tx) => {
    const row = await upsertIssueClassification(tx, {
      issueId: target.issue.id,
      projectId: target.projectId,
      classification: classifyByRules(text, deps.clock.now()),
      textHash: hash,
    });
    const operationId = withModel
      ? (
          await startOperation(tx, deps.registry, {
            kind: CLASSIFY_ISSUE_KIND,
            input: {
              projectId: target.projectId,
              issueId: target.issue.id,
              number: target.issue.number,
              text: text.slice(0, 70_000),
              textHash: hash,
            } satisfies ClassifyIssueInput,
            actor: ctx.actor,
            projectId: target.projectId,
            clock: deps.clock,
          })
        ).id
      : null;
    await options.alongside?.(tx, { row, operationId, earlier: existing });
    return { row, operationId };
  });
}

/** The step: the model classifies (or, failing, the rules say why not), stored unless outdated. */
export async function classifyIssueStep(deps: ClassifyIssueDeps, ctx: StepContext<ClassifyIssueInput>) {
  const classification = await classifyRequest(deps, {
    request: ctx.input.text,
    signal: ctx.signal,
    context: { operationId: ctx.operationId, projectId: ctx.input.projectId },
  });
  const stored = await refineIssueClassification(
    deps.db,
    ctx.input.issueId,
    ctx.input.textHash,
    classification,
  );
  ctx.log(
    stored
      ? `Issue #${ctx.input.number}: ${classification.kind} (${classification.source}, ${Math.round(classification.confidence * 100)} %). ${classification.reason}`
      : `Issue #${ctx.input.number} changed or was classified by a person meanwhile; this answer is not kept.`,
  );
  return { kind: classification.kind, source: classification.source, stored };
}
