import { z } from 'zod';
import { FEATURE_PHASES } from '../feature-machine.ts';
import { FeatureMove } from '../schemas.ts';
import { Classification, SdlcKind } from '../sdlc/sdlc-kinds.ts';

const Slug = z.string().min(1).max(100);
export const BoardParams = z.object({ slug: Slug });
export const FeatureParams = z.object({ slug: Slug, id: z.uuid('must be a feature id (uuid)') });

/**
 * `assignee`: a username, `agent:<runtime>` (e.g. `agent:scaffold`) or `none`; `assigneeKind`:
 * `human` or `agent` (an agent principal or an agent runtime); `kind`: the SDLC kind.
 */
export const BoardQuery = z.object({
  assignee: z.string().trim().min(1).max(100).optional(),
  assigneeKind: z.enum(['human', 'agent']).optional(),
  kind: SdlcKind.optional(),
});
export type BoardQuery = z.infer<typeof BoardQuery>;

export const MoveBody = z.strictObject({
  to: z.enum(FEATURE_PHASES),
  /** Why, in a few words (kept in the feature's history and the audit log). */
  reason: z.string().trim().max(500).optional(),
});
export type MoveBody = z.infer<typeof MoveBody>;

export const EditFeatureBody = z
  .strictObject({
    /** A username, `agent:<runtime>` (scaffold, llm-agent, claude-code, codex, gemini-cli), or null to unassign. */
    assignee: z.string().trim().min(1).max(100).nullable().optional(),
    /** The features of the same project this one waits for (replaces the list; a cycle is refused). */
    dependsOn: z.array(z.uuid('must be a feature id (uuid)')).max(50).optional(),
  })
  .refine((b) => b.assignee !== undefined || b.dependsOn !== undefined, {
    message: 'give assignee, dependsOn or both',
  });
export type EditFeatureBody = z.infer<typeof EditFeatureBody>;

/** A person's choice of kind, overriding the classifier. */
export const ClassificationBody = z.strictObject({
  kind: SdlcKind,
  reason: z.string().trim().max(500).optional(),
});
export type ClassificationBody = z.infer<typeof ClassificationBody>;

export const AssigneeView = z.object({
  /** What the `assignee` filter takes: a username or `agent:<runtime>`. */
  key: z.string(),
  kind: z.enum(['human', 'agent']),
  name: z.string(),
});
export type AssigneeView = z.infer<typeof AssigneeView>;

export const BoardLane = z.enum([
  'spec',
  'plan',
  'implement',
  'test',
  'deploy',
  'verify',
  'done',
  'blocked',
  'cancelled',
]);

export const BoardCard = z.object({
  id: z.string(),
  blueprintId: z.string(),
  title: z.string(),
  slug: z.string(),
  kind: SdlcKind,
  classification: Classification.nullable(),
  phase: z.enum(FEATURE_PHASES),
  /** The phases its kind needs, in order. */
  phases: z.array(z.enum(FEATURE_PHASES)),
  /** Where the board shows it: its phase's column, `blocked` (failed, or waiting for a feature not done) or `cancelled`. */
  lane: BoardLane,
  /** The features it waits for that are not done. */
  blockedBy: z.array(z.object({ id: z.string(), title: z.string(), phase: z.enum(FEATURE_PHASES) })),
  /** Why it failed (when failed). */
  failure: z.string().nullable(),
  /** The moves the state machine allows from here (what a person may do by hand). */
  allowedMoves: z.array(z.enum(FEATURE_PHASES)),
  /** Its build is running: the build moves it, not a person. */
  building: z.boolean(),
  branch: z.string().nullable(),
  mergeRequest: z
    .object({ number: z.number(), state: z.enum(['open', 'merged', 'closed']).nullable() })
    .nullable(),
  assignee: AssigneeView.nullable(),
  /** What the LLM calls of its build (and the operations under it) cost. */
  costUsd: z.number(),
  operationId: z.string().nullable(),
  dependsOn: z.array(z.string()),
  history: z.array(FeatureMove),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BoardCard = z.infer<typeof BoardCard>;

export const BoardView = z.object({
  columns: z.array(z.enum(FEATURE_PHASES)),
  cards: z.array(BoardCard),
  /** Everyone working on the project's features (the filter's choices). */
  assignees: z.array(AssigneeView),
  /** More features exist than a board shows (the newest are shown). */
  truncated: z.boolean(),
});

const LeadTime = z.object({
  count: z.number(),
  medianMs: z.number().nullable(),
  meanMs: z.number().nullable(),
});

export const BoardStats = z.object({
  features: z.number(),
  /** Time spent in each phase, from the transition histories. */
  leadTimes: z.array(LeadTime.extend({ phase: z.enum(FEATURE_PHASES), inProgress: z.number() })),
  /** Creation to done. */
  leadTimeTotal: LeadTime,
  /** Attempts and failed attempts of each step of the features' builds. */
  steps: z.array(
    z.object({
      step: z.string(),
      builds: z.number(),
      attempts: z.number(),
      failures: z.number(),
      failureRate: z.number(),
    }),
  ),
  cost: z.object({
    totalUsd: z.number(),
    perFeature: z.array(z.object({ id: z.string(), title: z.string(), costUsd: z.number() })),
  }),
});
