import { DomainError } from '../../../platform/errors.ts';
import { NonRetryableError, type StepContext, StepParked } from '../../operations/index.ts';
import type { WorkflowDeps } from '../deps.ts';
import {
  conditionSource,
  ExpressionError,
  evaluate,
  interpolate,
  parseExpression,
  resolveValue,
  toText,
  truthy,
} from '../file/expressions.ts';
import type { KindHandlers } from './kind-call.ts';
import { runRequest } from './run-actor.ts';
import { childSpecs, type WorkflowStepInput } from './run-input.ts';
import { expressionContext, type StepOutcome } from './step-outcome.ts';

const MAX_ITEMS = 100;

/** An error a use case answered with: a 4xx will be the same next time, so it is not retried. */
function asStepError(error: unknown): unknown {
  if (error instanceof DomainError && error.status < 500) return new NonRetryableError(error.message);
  if (error instanceof ExpressionError)
    return new NonRetryableError(`An expression failed: ${error.message}`);
  return error;
}

/** Whether the step runs: its `if`, else every step it needs succeeded. */
function skipReason(
  input: WorkflowStepInput,
  context: ReturnType<typeof expressionContext>,
): string | undefined {
  if (input.step.if !== undefined) {
    const go = truthy(evaluate(parseExpression(conditionSource(input.step.if)), context));
    return go ? undefined : `if: ${input.step.if.trim()} is false`;
  }
  const needs = context.needs as Record<string, StepOutcome>;
  const unmet = input.step.needs.find((id) => needs[id]?.result !== 'success');
  if (unmet === undefined) return undefined;
  return `it needs ${unmet}, which ${needs[unmet]?.result === 'failure' ? 'failed' : 'was skipped'}`;
}

/**
 * Runs one step of a workflow run: decides whether it runs (`if`, or its needs succeeded),
 * resolves its `with`, calls its kind. A failure on its last attempt is its result when the step
 * has `continueOnError`; otherwise it fails the step (and the run), retries first.
 */
export async function runWorkflowStep(
  deps: WorkflowDeps,
  kinds: KindHandlers,
  ctx: StepContext<WorkflowStepInput>,
): Promise<StepOutcome> {
  const input = ctx.input;
  const { step } = input;
  try {
    const context = expressionContext(input, ctx.deps, ctx.operationId);
    const skip = skipReason(input, context);
    if (skip) {
      await ctx.emit({ type: 'phase', message: `Skipped: ${skip}` });
      return { result: 'skipped', reason: skip };
    }
    const resolved = resolveValue(step.with, context) as Record<string, unknown>;
    const label = `${step.name ?? input.id}${input.item ? ` [${toText(input.item.value)}]` : ''}`;
    const request = await runRequest(deps.db, input.run.actorId, ctx.operationId);
    const outputs = await kinds[step.kind]({ ctx, input, deps, request, with: resolved, label });
    return { result: 'success', outputs: outputs ?? null };
  } catch (error) {
    if (error instanceof StepParked) throw error;
    const failure = asStepError(error);
    // Tries used by workers that died count too; the tries kept for them (CRASH_TRIES) are not
    // for failures: the step's last failing try is final.
    if (!(failure instanceof NonRetryableError) && ctx.attempt < step.retries + 1) throw failure;
    const reason = failure instanceof Error ? failure.message : String(failure);
    if (step.continueOnError) {
      await ctx.emit({ type: 'phase', message: `Failed, and the run goes on (continueOnError): ${reason}` });
      return { result: 'failure', reason };
    }
    throw failure instanceof NonRetryableError ? failure : new NonRetryableError(reason);
  }
}

/** A `forEach` step: one child step per item (its `if` is decided per item, by the child). */
export async function fanOutWorkflowStep(ctx: StepContext<WorkflowStepInput>): Promise<StepOutcome> {
  const input = ctx.input;
  const context = expressionContext(input, ctx.deps, ctx.operationId);
  if (input.step.if === undefined) {
    const skip = skipReason(input, context);
    if (skip) return { result: 'skipped', reason: skip };
  }
  let items: unknown;
  try {
    items =
      typeof input.step.forEach === 'string'
        ? interpolate(input.step.forEach, context)
        : resolveValue(input.step.forEach, context);
  } catch (error) {
    throw asStepError(error);
  }
  if (!Array.isArray(items))
    throw new NonRetryableError(`forEach gave ${JSON.stringify(items ?? null).slice(0, 200)}, not a list.`);
  if (items.length > MAX_ITEMS)
    throw new NonRetryableError(
      `forEach gave ${items.length} items; a step fans out to at most ${MAX_ITEMS}.`,
    );
  if (items.length) await ctx.addSteps(childSpecs(input, items));
  return { result: 'success', items: items.length };
}
