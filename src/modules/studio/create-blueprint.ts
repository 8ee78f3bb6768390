import type { RequestContext } from '../../platform/context.ts';
import { type Db, type DbClient, withTransaction } from '../../platform/db/pool.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { listTemplates } from '../agents/index.ts';
import { type Blueprint, emptyBlueprint, isReadyToBuild, type TemplateId } from '../blueprint/index.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { autopilotBlueprint } from './architect/autopilot-blueprint.ts';
import { recordChatTurn } from './chat/record-chat-turn.ts';
import { type ArchitectMode, insertBlueprint, insertSnapshot, setBlueprintStatus } from './store.ts';

export interface CreateBlueprintInput {
  slug: string;
  title?: string;
  template?: TemplateId;
  /** A landing prompt; with `autopilot`, the Architect fills the Blueprint with assumptions. */
  prompt?: string;
  autopilot?: boolean;
  architectMode?: ArchitectMode;
}

/**
 * Creates a Blueprint in a project: empty, pre-filled from a template, or drafted from a prompt.
 * Inside a caller's transaction when `db` is one.
 */
export async function createBlueprint(db: Db | DbClient, ctx: RequestContext, input: CreateBlueprintInput) {
  const { project } = await requireProjectRole(db, ctx.actor, input.slug, 'developer');
  let document: Blueprint;
  let kind: 'create' | 'autopilot' = 'create';
  if (input.prompt && input.autopilot !== false) {
    document = autopilotBlueprint(input.prompt, input.template);
    kind = 'autopilot';
  } else if (input.template) {
    const template = listTemplates().find((t) => t.id === input.template);
    document = structuredClone(template!.blueprint);
  } else {
    document = emptyBlueprint(input.title);
  }
  if (input.title) document.feature = input.title;
  return withTransaction(db, async (tx) => {
    let row = await insertBlueprint(tx, {
      projectId: project.id,
      title: document.feature || input.title || 'Untitled',
      document,
      mode: input.architectMode ?? 'auto',
      createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    if (isReadyToBuild(document).ready) row = await setBlueprintStatus(tx, row.id, 'ready');
    // A landing prompt opens the Blueprint's conversation; the rule-based autopilot answers it.
    const turn = await recordChatTurn(tx, ctx, row, {
      said: input.prompt ?? null,
      reply:
        kind === 'autopilot' ? 'Drafted from your prompt; every guess is listed under assumptions.' : null,
      answeredBy: 'rules',
      version: 1,
      title: row.title,
    });
    row = { ...row, conversation_id: turn.conversationId };
    await insertSnapshot(tx, {
      blueprint_id: row.id,
      version: 1,
      kind,
      message: null,
      reply: null,
      patch: [],
      document,
      actor_id: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      actor_name: ctx.actor.username,
      operation_id: null,
      message_id: turn.messageId,
      reply_id: turn.replyId,
    });
    await recordAudit(tx, ctx, {
      action: 'blueprint.create',
      target: { type: 'blueprint', id: row.id },
      projectId: project.id,
      data: { template: input.template ?? null, autopilot: kind === 'autopilot' },
    });
    return { row, project };
  });
}
