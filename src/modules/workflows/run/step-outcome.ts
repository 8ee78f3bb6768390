import type { ExpressionContext } from '../file/expressions.ts';
import type { WorkflowStepInput } from './run-input.ts';

/** How a workflow step ended, as `needs.<step>.result` reads it. */
export type StepResult = 'success' | 'failure' | 'skipped';

/** What every workflow step's engine step returns (and the engine keeps). */
export interface StepOutcome {
  result: StepResult;
  outputs?: unknown;
  /** Why it was skipped, or what failed (continueOnError). */
  reason?: string;
  /** A fan-out parent: how many children it added. */
  items?: number;
}

/**
 * `needs.<id>` for each step this one needs, from the outputs the engine hands the handler: a
 * fan-out step's result and outputs gather its children's (failure if any failed; outputs in
 * item order).
 */
export function needsOf(needs: string[], deps: Record<string, unknown>): Record<string, StepOutcome> {
  const out: Record<string, StepOutcome> = {};
  for (const id of needs) {
    const own = deps[id] as StepOutcome | undefined;
    if (!own) continue;
    if (own.items === undefined) {
      out[id] = { result: own.result, outputs: own.outputs ?? null };
      continue;
    }
    const children = Array.from(
      { length: own.items },
      (_, i) => deps[`${id}/${i}`] as StepOutcome | undefined,
    );
    const results = children.map((c) => c?.result ?? 'skipped');
    out[id] = {
      result: results.includes('failure')
        ? 'failure'
        : results.length && results.every((r) => r === 'skipped')
          ? 'skipped'
          : 'success',
      outputs: children.map((c) => c?.outputs ?? null),
    };
  }
  return out;
}

/** What expressions in a step read. */
export function expressionContext(
  input: WorkflowStepInput,
  deps: Record<string, unknown>,
  operationId: string,
): ExpressionContext {
  const { run } = input;
  return {
    inputs: run.inputs,
    needs: needsOf(input.step.needs, deps),
    workflow: { name: run.workflow, file: run.file, ref: run.ref, sha: run.sha, runId: operationId },
    project: { slug: run.projectSlug },
    ...(input.item ? { item: input.item.value, index: input.item.index } : {}),
  };
}
