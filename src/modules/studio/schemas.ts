import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { int4 } from '../../platform/http/int-params.ts';
import { BlueprintShape, JsonPatchOp, TemplateId } from '../blueprint/index.ts';
import { AnsweredBy } from '../llm/index.ts';
import { FEATURE_PHASES } from './feature-machine.ts';
import { Classification, SdlcKind } from './sdlc/sdlc-kinds.ts';

export const BlueprintIdParam = z.object({ id: z.uuid('must be a Blueprint id (uuid)') });

export const CreateBlueprintBody = z.object({
  title: z.string().trim().min(1).max(120).optional(),
  template: TemplateId.optional(),
  prompt: z.string().trim().min(1).max(4000).optional(),
  autopilot: z.boolean().optional(),
  architectMode: z.enum(['auto', 'llm', 'rules']).optional(),
});

/** A JSON Patch (RFC 6902) for a Blueprint; each operation is checked when it is applied. */
export const BlueprintPatchBody = z.array(z.record(z.string(), z.unknown())).max(500);

/** `?reference=<id>`: the patch is that design reference's proposal (the history names it). */
export const PatchQuery = z.object({
  reference: z.uuid("must be the id of one of the Blueprint's design references (uuid)").optional(),
});

export const MessageBody = z.object({
  content: z.string().trim().min(1, 'say something to the Architect').max(8000),
  /** Force the rule-based Architect even when an LLM is configured. */
  mode: z.enum(['auto', 'llm', 'rules']).optional(),
});

export const StatusBody = z.object({
  status: z.enum(['draft', 'ready', 'discarded']),
  /** Mark ready although readiness rules are unmet (the user takes responsibility). */
  override: z.boolean().optional(),
});

export const SnapshotsQuery = PageQuery.extend({ afterVersion: int4(0).optional() });
export type SnapshotsQuery = z.infer<typeof SnapshotsQuery>;
export const DiffQuery = z.object({
  from: int4(1),
  to: int4(1),
});
export type DiffQuery = z.infer<typeof DiffQuery>;
export const VersionParams = BlueprintIdParam.extend({ version: int4(1) });

export const ReadinessView = z.object({
  ready: z.boolean(),
  unmet: z.array(
    z.object({ rule: z.string(), message: z.string(), question: z.string(), example: z.string().optional() }),
  ),
});

export const BlueprintView = z.object({
  id: z.string(),
  projectId: z.string(),
  title: z.string(),
  status: z.enum(['draft', 'ready', 'building', 'built', 'discarded']),
  architectMode: z.enum(['auto', 'llm', 'rules']),
  /** Who answers the chat now (GET /api/blueprints/:id): `rules` when the mode or the setup leaves no model. */
  architectAnswers: z.enum(['llm', 'rules']).optional(),
  version: z.number(),
  /** Its chat with the Architect as a conversation (`/api/conversations/:id`), from its first turn. */
  conversationId: z.string().nullable(),
  /** The document (its shape; the cross-field rules held when it was written). */
  blueprint: BlueprintShape,
  readiness: ReadinessView,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BlueprintView = z.infer<typeof BlueprintView>;

export const SnapshotView = z.object({
  version: z.number(),
  kind: z.string(),
  /** What was said in the turn that made this version (an edit: where it came from). */
  message: z.string().nullable(),
  /** The Architect's reply in that turn. */
  reply: z.string().nullable(),
  /** Who wrote the reply: the model that answered (and the one it fell back from), or rules. */
  answeredBy: AnsweredBy.nullable(),
  patch: z.array(JsonPatchOp),
  actor: z.string().nullable(),
  operationId: z.string().nullable(),
  createdAt: z.string(),
});

/** One version with its whole document. */
export const SnapshotDetailView = SnapshotView.extend({ blueprint: BlueprintShape });

/** The JSON Patch from one version to another. */
export const DiffView = z.object({ from: z.number(), to: z.number(), patch: z.array(JsonPatchOp) });

export const TemplateView = z.object({
  id: TemplateId,
  name: z.string(),
  description: z.string(),
  blueprint: BlueprintShape,
});
export const TemplatesPage = z.object({ items: z.array(TemplateView), nextCursor: z.null() });

/** The rule-based Architect answers at once (200); the LLM Architect streams over an operation (202). */
export const RulesChatAnswer = z.object({
  mode: z.literal('rules'),
  reply: z.string(),
  snapshot: SnapshotView,
  blueprint: BlueprintView,
});
export const LlmChatAnswer = z.object({
  mode: z.literal('llm'),
  operationId: z.string(),
  eventsUrl: z.string(),
});
export type LlmChatAnswer = z.infer<typeof LlmChatAnswer>;

/** One move of a feature: by a build, or by hand (`by`). */
export const FeatureMove = z.object({
  from: z.enum(FEATURE_PHASES),
  to: z.enum(FEATURE_PHASES),
  reason: z.string().optional(),
  at: z.string().optional(),
  by: z.string().optional(),
});

/** A build of a Blueprint (`features` row): its phase, branch, merge request and what it built. */
export const FeatureView = z.object({
  id: z.string(),
  blueprintId: z.string(),
  slug: z.string(),
  title: z.string(),
  /** New feature, change, bug fix or chore: the phases it walks are `phases`. */
  kind: SdlcKind,
  phases: z.array(z.enum(FEATURE_PHASES)),
  classification: Classification.nullable(),
  phase: z.enum(FEATURE_PHASES),
  history: z.array(FeatureMove),
  branch: z.string().nullable(),
  mergeRequestNumber: z.number().nullable(),
  /** Its merge request's state: `merged` once the build is on main (null without one). */
  mergeRequestState: z.enum(['open', 'merged', 'closed']).nullable(),
  operationId: z.string().nullable(),
  eventsUrl: z.string().nullable(),
  spec: z.string().nullable(),
  /** The Blueprint version the build built; null before its spec is rendered. */
  blueprintVersion: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const FeatureList = z.object({ items: z.array(FeatureView), nextCursor: z.string().nullable() });
