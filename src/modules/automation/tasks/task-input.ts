/**
 * What an automation task is: a start URL and either a goal (the planner works out the steps) or
 * steps (each a plain action, or an `act`/`observe`/`extract` the planner resolves). Values may
 * hold `%name%`, filled in at the last moment from the task's variables or the project's secrets.
 */
import { z } from 'zod';

const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/**
 * An element, found the way a user sees it: by role and accessible name (`{role: 'button', name:
 * 'Sign in'}`), by label, placeholder, text or test id; or, as a last resort, a CSS selector.
 */
export const Target = z.union(
  [
    Text(500),
    z.strictObject({
      role: z
        .string()
        .regex(/^[a-z]+$/, 'must be an ARIA role such as button, link, textbox')
        .max(40),
      name: Text(500).optional(),
      exact: z.boolean().optional(),
      nth: z.number().int().min(0).max(1_000).optional(),
    }),
    z.strictObject({ label: Text(500), nth: z.number().int().min(0).max(1_000).optional() }),
    z.strictObject({ placeholder: Text(500), nth: z.number().int().min(0).max(1_000).optional() }),
    z.strictObject({ text: Text(500), nth: z.number().int().min(0).max(1_000).optional() }),
    z.strictObject({ testId: Text(200), nth: z.number().int().min(0).max(1_000).optional() }),
  ],
  {
    error: () => 'must be a CSS selector or one of {role, name}, {label}, {placeholder}, {text}, {testId}',
  },
);
export type Target = z.infer<typeof Target>;

const Value = z.union([z.string().max(5_000), z.number(), z.boolean()]).transform(String);

/** A JSON Schema (an object with a `type`), for `extract`. */
const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((s) => typeof s.type === 'string' || Array.isArray(s.anyOf) || Array.isArray(s.oneOf), {
    message: 'must be a JSON Schema such as {"type": "object", "properties": {...}}',
  });

const STEP_KINDS = {
  goto: z.strictObject({ goto: Text(2_000) }),
  click: z.strictObject({ click: Target }),
  fill: z.strictObject({ fill: Target, value: Value }),
  select: z.strictObject({ select: Target, value: Value }),
  press: z.strictObject({ press: Text(40), target: Target.optional() }),
  expect: z.strictObject({
    expect: z.union([
      z.strictObject({ text: Text(500) }),
      z.strictObject({ visible: Target }),
      z.strictObject({ hidden: Target }),
      z.strictObject({ url: Text(2_000) }),
      z.strictObject({ title: Text(500) }),
    ]),
  }),
  extract: z.strictObject({
    extract: Text(2_000),
    schema: JsonSchemaObject,
    /** The name the result is kept under (default `extract1`, `extract2`, …). */
    as: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/)
      .optional(),
  }),
  screenshot: z.strictObject({
    screenshot: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/, 'use letters, digits, "-" and "_"'),
  }),
  act: z.strictObject({ act: Text(2_000) }),
  observe: z.strictObject({ observe: Text(2_000) }),
} as const;

export type TaskStepKind = keyof typeof STEP_KINDS;
export const TASK_STEP_KINDS = Object.keys(STEP_KINDS) as TaskStepKind[];
export type TaskStep = z.output<(typeof STEP_KINDS)[TaskStepKind]>;

/** One step, parsed by the key it has, so a mistake is named for that kind ("fill.value: is required"). */
export const TaskStep = z.unknown().transform((raw, ctx): TaskStep => {
  const kinds =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? TASK_STEP_KINDS.filter((k) => Object.hasOwn(raw, k))
      : [];
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: kinds.length
        ? `has ${kinds.join(' and ')}: a step does exactly one thing`
        : `must be one of ${TASK_STEP_KINDS.join(', ')} (e.g. {"click": {"role": "button", "name": "Save"}})`,
    });
    return z.NEVER;
  }
  const parsed = STEP_KINDS[kinds[0]!].safeParse(raw, {
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as never);
  return z.NEVER;
});

export const TaskBudget = z.strictObject({
  /** Planner calls the task may make (cache hits cost none). */
  modelCalls: z.number().int().min(0).max(500).default(30),
  /** Spend on planner calls, USD. */
  costUsd: z.number().min(0).max(100).optional(),
  /** Actions a goal may take before the task gives up. */
  actions: z.number().int().min(1).max(200).default(25),
  /** The whole task, ms. */
  timeoutMs: z
    .number()
    .int()
    .min(1_000)
    .max(30 * 60_000)
    .default(5 * 60_000),
  /** One step (an action, a wait, an expectation), ms. */
  stepTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
});
export type TaskBudget = z.output<typeof TaskBudget>;

const VarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'use letters, digits and _');

export const AutomationTaskBody = z
  .strictObject({
    startUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2_000)
      .describe("Where the task starts: one of the project's environments or an allowed host"),
    goal: Text(4_000)
      .optional()
      .describe('What to achieve; the planner picks each action from the page (give this or steps)'),
    steps: z.array(TaskStep).min(1).max(200).optional().describe('The steps, in order (give this or goal)'),
    /** For a goal: the JSON Schema of what the task returns when it is done. */
    resultSchema: JsonSchemaObject.optional(),
    variables: z.record(VarName, z.string().max(5_000)).default({}),
    /** Project secrets the task may type (as `%name%`); their values never leave the browser. */
    secrets: z.array(VarName).max(50).default([]),
    budget: TaskBudget.default(TaskBudget.parse({})),
    /** A screenshot after every step (the default), or only after a step that failed. */
    screenshots: z.enum(['steps', 'failures']).default('steps'),
    /**
     * The Playwright trace (DOM snapshots of every action, network, console): `off` (the default,
     * as in Playwright Test: recording costs every task time), `on`, or `retain-on-failure`
     * (recorded always, kept only when the task failed).
     */
    trace: z.enum(['off', 'on', 'retain-on-failure']).default('off'),
    /** Replay actions the planner resolved before (default true). */
    useCache: z.boolean().default(true),
  })
  .superRefine((body, ctx) => {
    if ((body.goal === undefined) === (body.steps === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [body.goal === undefined ? 'goal' : 'steps'],
        message: 'give exactly one of goal and steps',
      });
    const clash = body.secrets.find((s) => Object.hasOwn(body.variables, s));
    if (clash)
      ctx.addIssue({
        code: 'custom',
        path: ['variables', clash],
        message: `"${clash}" is also a secret; a name is one or the other`,
      });
  });
export type AutomationTaskBody = z.output<typeof AutomationTaskBody>;
export type AutomationTaskBodyInput = z.input<typeof AutomationTaskBody>;

/** What the `automation.task` step receives: the body, the project, and who may use which secrets. */
export interface AutomationTaskInput {
  projectId: string;
  task: AutomationTaskBody;
  /** The starter may use protected secrets (a maintainer). */
  protectedSecrets: boolean;
}

export const TASK_KIND = 'automation.task';
