import type { RequestContext } from '../../../platform/context.ts';
import type { StepContext } from '../../operations/index.ts';
import type { WorkflowDeps } from '../deps.ts';
import type { StepKind } from '../file/step-kinds.ts';
import type { WorkflowStepInput } from './run-input.ts';

/** What a step kind's handler gets: the engine's context, its `with` resolved, and the run's actor. */
export interface KindCall {
  ctx: StepContext<WorkflowStepInput>;
  input: WorkflowStepInput;
  deps: WorkflowDeps;
  /** The person the run acts for; the use cases check their role now, as for a request. */
  request: RequestContext;
  with: Record<string, unknown>;
  /** The step's name as the file gives it (with the item of a fan-out). */
  label: string;
}

/** Does the step's work; returns its outputs (`needs.<step>.outputs`). May park (`ctx.park`). */
export type KindHandler = (call: KindCall) => Promise<unknown>;
export type KindHandlers = Record<StepKind, KindHandler>;
