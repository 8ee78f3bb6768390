import { z } from 'zod';

/** What a workflow step can do (docs/workflows.md, "Step kinds"). */
export const STEP_KINDS = [
  'pipeline',
  'agent',
  'deploy',
  'verify',
  'automation',
  'approval',
  'notify',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Text that may hold `${{ }}` expressions. */
const Text = (max: number) => z.string().max(max);
/** A whole `${{ }}` expression standing for a value of another type (a list, a number). */
const Expression = z.string().regex(/^\s*\$\{\{[\s\S]*\}\}\s*$/, `must be a \${{ }} expression here`);
const orExpression = <T extends z.ZodType>(schema: T) => z.union([schema, Expression]);

export const ROLES_TO_NOTIFY = ['viewers', 'developers', 'maintainers', 'owners'] as const;

/**
 * Each kind's `with:` as the file may write it (values may be expressions). After substitution the
 * step checks the values again with the schema of the use case it calls.
 */
export const WITH_SCHEMAS: Record<StepKind, z.ZodType> = {
  /** Runs the project's pipeline (or one job of it, with the jobs it needs) on a ref. */
  pipeline: z.strictObject({ ref: Text(255).optional(), job: Text(64).optional() }),
  /** Starts an agent session on a branch; it ends with a merge request. */
  agent: z.strictObject({
    title: Text(200),
    instructions: Text(100_000).optional(),
    branch: Text(255).optional(),
    runtime: Text(50).optional(),
    model: Text(200).optional(),
  }),
  /** Deploys a ref to staging or to a preview (`preview/<branch>`). */
  deploy: z.strictObject({ env: Text(300), ref: Text(255).optional() }),
  /** The browser robot on an environment: its checks, or the pages named. */
  verify: z.strictObject({
    env: Text(300),
    paths: orExpression(z.array(Text(500)).min(1).max(20)).optional(),
  }),
  /** A browser automation task on an environment (steps or a goal). */
  automation: z.strictObject({
    env: Text(300).optional(),
    url: Text(2_000).optional(),
    path: Text(500).optional(),
    steps: orExpression(z.array(z.unknown()).min(1).max(200)).optional(),
    goal: Text(4_000).optional(),
    variables: z.record(z.string(), Text(5_000)).optional(),
    secrets: z.array(z.string().max(64)).max(50).optional(),
  }),
  /** Waits for a person with `role` (or more) in the project to approve or reject. */
  approval: z.strictObject({
    title: Text(300).optional(),
    description: Text(10_000).optional(),
    role: z.enum(['developer', 'maintainer', 'owner']).default('maintainer'),
  }),
  /** Tells the project's members with `to` (or more) in-app, and by email when they want it. */
  notify: z.strictObject({
    title: Text(300),
    body: Text(10_000).optional(),
    to: z.enum(ROLES_TO_NOTIFY).default('developers'),
    link: Text(2_000).optional(),
  }),
};
