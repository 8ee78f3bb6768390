import { z } from 'zod';
import type { StepSpec } from '../../operations/index.ts';
import type { WorkflowStep } from '../file/workflow-file.ts';

export const WORKFLOW_KIND = 'workflow.run';
/** The step that fans a `forEach` step out into one child per item. */
export const EACH_STEP = 'workflow.each';
export const stepHandlerOf = (kind: string) => `workflow.${kind}`;
/**
 * Tries kept beyond a step's `retries` for workers that die mid-try (an expired lease uses a try):
 * a crash alone does not fail a run. A failing step still fails after `retries + 1` tries (the
 * step's handler makes its last failure final).
 */
export const CRASH_TRIES = 2;

/** What a run knows besides its steps: expressions read it as `workflow.*`, `project.*` and `inputs.*`. */
export const RunContext = z.object({
  projectId: z.uuid(),
  projectSlug: z.string().min(1),
  /** The file's name without `.yml`. */
  workflow: z.string().min(1),
  file: z.string().min(1),
  /** The default branch's commit the file was read at. */
  sha: z.string().min(1),
  /** What pipelines and deploys act on unless a step says otherwise. */
  ref: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()),
  /** Who started it (a schedule: who pushed the file); null: no one (Orchard itself). */
  actorId: z.uuid().nullable(),
});
export type RunContext = z.infer<typeof RunContext>;

/** `workflow.run`'s input: the file's steps as read when the run started, and the run's context. */
export const WorkflowRunInput = z.object({
  run: RunContext,
  steps: z.record(
    z.string(),
    z.custom<WorkflowStep>((v) => !!v && typeof v === 'object'),
  ),
});
export type WorkflowRunInput = z.infer<typeof WorkflowRunInput>;

/** What each engine step of a run gets: its definition in the file, the run, and its item in a fan-out. */
export interface WorkflowStepInput {
  id: string;
  step: WorkflowStep;
  run: RunContext;
  item?: { value: unknown; index: number };
}

/** Engine steps for a child of a fan-out: the step as written, without its forEach. */
export function childSpecs(input: WorkflowStepInput, items: unknown[]): StepSpec[] {
  const { forEach: _forEach, ...step } = input.step;
  return items.map((value, index) => ({
    key: String(index),
    step: stepHandlerOf(step.kind),
    // The parent ran after these: the child reads their outputs as its parent did.
    dependsOn: step.needs,
    maxAttempts: step.retries + 1 + CRASH_TRIES,
    input: { id: input.id, step, run: input.run, item: { value, index } } satisfies WorkflowStepInput,
  }));
}

/** The step graph of a run: one engine step per step of the file, `needs` as dependencies. */
export function buildRunGraph(input: WorkflowRunInput): StepSpec[] {
  return Object.entries(input.steps).map(([id, step]) => ({
    key: id,
    step: step.forEach !== undefined ? EACH_STEP : stepHandlerOf(step.kind),
    dependsOn: step.needs,
    maxAttempts: (step.forEach !== undefined ? 1 : step.retries + 1) + CRASH_TRIES,
    input: { id, step, run: input.run } satisfies WorkflowStepInput,
  }));
}
