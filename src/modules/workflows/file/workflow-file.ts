import { z } from 'zod';
import { isInheritedName } from '../../../platform/lookup-table.ts';
import { parseYaml, readableYamlIssue } from '../../../platform/parse-yaml.ts';
import { parseCron } from '../../pipelines/index.ts';
import { parseDuration } from './duration.ts';
import { checkStepGraph, type GraphSpec } from './step-graph.ts';
import { STEP_KINDS, type StepKind, WITH_SCHEMAS } from './step-kinds.ts';

/** Where a project's workflow files live (on its default branch). */
export const WORKFLOW_DIR = '.orchard/workflows';
export const MAX_STEPS = 50;
export const MAX_TIMEOUT_MS = 30 * 86_400_000;

// Step and input names key plain objects (the parsed `steps`, expression contexts).
const Name = (what: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
      `${what}: use a letter, then up to 63 letters, digits, "-" and "_"`,
    )
    .refine((name) => !isInheritedName(name), 'is a name every object already has; pick another');
export const StepId = Name('a step name');

const Duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  const message =
    ms === undefined
      ? 'must be a duration like 30s, 10m, 2h, 1h30m or 3d'
      : ms === 0
        ? 'must be longer than 0s'
        : ms > MAX_TIMEOUT_MS
          ? 'may be at most 30d'
          : undefined;
  if (message) ctx.addIssue({ code: 'custom', message });
  return ms ?? 0;
});

const Input = z.strictObject({
  type: z.enum(['string', 'number', 'boolean', 'list']).default('string'),
  description: z.string().max(500).optional(),
  required: z.boolean().default(false),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()).max(100)]).optional(),
  /** The values a string input may take (a select in the UI). */
  options: z.array(z.string().max(200)).min(1).max(50).optional(),
});
export type WorkflowInput = z.output<typeof Input>;

const Schedule = z.strictObject({
  cron: z.string().refine((expression) => {
    try {
      parseCron(expression);
      return true;
    } catch {
      return false;
    }
  }, 'is not a cron expression (five fields, minute hour day month weekday, UTC; or @daily, @hourly…)'),
});

const Step = z.strictObject({
  kind: z.enum(STEP_KINDS, { error: `is not a step kind (known: ${STEP_KINDS.join(', ')})` }),
  /** Shown instead of the step's key. */
  name: z.string().min(1).max(200).optional(),
  needs: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string()).max(MAX_STEPS))
    .default([]),
  if: z.string().min(1).max(2_000).optional(),
  /** A list, or one `${{ }}` expression that gives one: each item becomes a child step. */
  forEach: z.union([z.array(z.unknown()).min(1).max(100), z.string().min(1).max(2_000)]).optional(),
  with: z.record(z.string(), z.unknown()).default({}),
  retries: z.number().int().min(0).max(10).default(0),
  timeout: Duration.optional(),
  continueOnError: z.boolean().default(false),
});
export type WorkflowStep = z.output<typeof Step> & { kind: StepKind };

const WorkflowShape = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(2_000).optional(),
  on: z.strictObject({ schedule: z.array(Schedule).min(1).max(10).optional() }).default({}),
  inputs: z.record(Name('an input name'), Input).default({}),
  steps: z
    .record(StepId, Step)
    .refine((steps) => Object.keys(steps).length > 0, 'needs at least one step')
    .refine((steps) => Object.keys(steps).length <= MAX_STEPS, `allows at most ${MAX_STEPS} steps`),
});

/**
 * A workflow file. The checks that span the file (each kind's `with`, needs, cycles, expressions,
 * inputs) run on what was written even when its shape has problems too, so one pass reports all.
 */
export const WorkflowSpec = z.unknown().transform((raw, ctx) => {
  const parsed = WorkflowShape.safeParse(raw, { error: readableYamlIssue });
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
  checkWritten(
    raw,
    (path, message) => ctx.addIssue({ code: 'custom', path, message }),
    (issue) => ctx.addIssue(issue as never),
  );
  return parsed.success ? parsed.data : z.NEVER;
});
export type WorkflowSpec = z.output<typeof WorkflowShape>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** The cross-field checks, over the file as written (anything malformed is skipped: the shape reports it). */
function checkWritten(
  raw: unknown,
  report: (path: Array<string | number>, message: string) => void,
  forward: (issue: z.core.$ZodIssue) => void,
) {
  if (!isRecord(raw)) return;
  const inputs = isRecord(raw.inputs) ? raw.inputs : {};
  const scheduled = isRecord(raw.on) && raw.on.schedule !== undefined;
  for (const [name, written] of Object.entries(inputs)) {
    const input = Input.safeParse(written);
    if (!input.success) continue;
    const problem =
      input.data.default === undefined ? undefined : inputProblem(input.data, input.data.default);
    if (problem) report(['inputs', name, 'default'], problem);
    if (scheduled && input.data.required && input.data.default === undefined)
      report(
        ['inputs', name],
        'is required and has no default, so a scheduled run cannot give it: add a default',
      );
  }
  const steps: GraphSpec['steps'] = {};
  for (const [id, step] of Object.entries(isRecord(raw.steps) ? raw.steps : {})) {
    if (!isRecord(step)) continue;
    const needs = typeof step.needs === 'string' ? [step.needs] : Array.isArray(step.needs) ? step.needs : [];
    const written = {
      needs: needs.filter((n): n is string => typeof n === 'string'),
      ...(typeof step.if === 'string' ? { if: step.if } : {}),
      ...(step.forEach !== undefined ? { forEach: step.forEach } : {}),
      with: isRecord(step.with) ? step.with : {},
    };
    steps[id] = written;
    const kind = STEP_KINDS.find((k) => k === step.kind);
    if (kind && (step.with === undefined || isRecord(step.with))) {
      const parsed = WITH_SCHEMAS[kind].safeParse(written.with, { error: readableYamlIssue });
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          forward({ ...issue, path: ['steps', id, 'with', ...issue.path] });
    }
    if (kind === 'approval' && step.forEach !== undefined)
      report(['steps', id, 'forEach'], 'an approval cannot fan out');
    if (kind === 'approval' && typeof step.retries === 'number' && step.retries > 0)
      report(['steps', id, 'retries'], 'an approval is not retried: a rejection is a decision');
  }
  checkStepGraph({ inputs, steps }, report);
}

/** Why `value` does not fit the input (undefined: it fits). */
export function inputProblem(input: WorkflowInput, value: unknown): string | undefined {
  const type = input.type;
  if (type === 'list' ? !Array.isArray(value) : typeof value !== type) return `must be a ${type}`;
  if (input.options && !input.options.includes(value as string))
    return `must be one of: ${input.options.join(', ')}`;
  return undefined;
}

/** A problem in a workflow file, where it is. */
export interface WorkflowIssue {
  file: string;
  line: number | null;
  column: number | null;
  field: string;
  message: string;
}

export type ParsedWorkflowFile = { ok: true; spec: WorkflowSpec } | { ok: false; issues: WorkflowIssue[] };

/**
 * Parses and validates a workflow file: YAML, keys and kinds, each kind's `with`, `needs`, cycles,
 * expressions and what they read, durations and cron schedules. Every problem names its line.
 */
export function parseWorkflowFile(text: string, file: string): ParsedWorkflowFile {
  const parsed = parseYaml(text, WorkflowSpec, { error: readableYamlIssue });
  if (parsed.success) return { ok: true, spec: parsed.data };
  return {
    ok: false,
    issues: [...parsed.issues]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .map((i) => ({
        file,
        line: i.line ?? null,
        column: i.column ?? null,
        field: i.field,
        message: i.message,
      })),
  };
}

/** `.orchard/workflows/release.yml:12:5: steps.ship.needs[0]: names no step "build"`. */
export function formatWorkflowIssue(issue: WorkflowIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return `${where}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
}
