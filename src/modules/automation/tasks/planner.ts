/**
 * The planner: the `planner` alias, through the gateway (metered, retried, budgeted), working on
 * the page's ARIA snapshot. `observe` lists the actions a page offers, `act` turns one instruction
 * into one action, `extract` reads data for a JSON Schema, `next` picks a goal's next action. Every
 * answer is structured output checked by zod; what the model sees is redacted (no secret values).
 */
import { z } from 'zod';
import type { LlmCallContext, LlmGateway } from '../../llm/index.ts';
import type { PageView } from './aria.ts';

export const PLANNER_ALIAS = 'planner';

export const ActionKind = z.enum(['click', 'fill', 'select', 'press', 'check', 'uncheck', 'hover']);
export type ActionKind = z.infer<typeof ActionKind>;

/** One action on one element of the snapshot, named by its ref. */
export const PlannedAction = z.object({
  action: ActionKind,
  element: z.string().regex(/^[a-z]*\d*[a-z]?\d+$/i, 'must be a ref from the snapshot, such as e12'),
  /** fill/select: the text or option; may be a `%name%` placeholder. press: the key. */
  value: z.string().max(5_000).optional(),
  description: z.string().max(300).default(''),
});
export type PlannedAction = z.infer<typeof PlannedAction>;

const ActAnswer = z.union([
  PlannedAction,
  z.object({ action: z.literal('none'), reason: z.string().max(500) }),
]);
const ObserveAnswer = z.object({ candidates: z.array(PlannedAction).max(30) });
const NextAnswer = z.union([
  z.object({ status: z.literal('act'), step: PlannedAction, reason: z.string().max(500).default('') }),
  z.object({ status: z.literal('done'), summary: z.string().max(2_000), result: z.unknown().optional() }),
  z.object({ status: z.literal('stuck'), reason: z.string().max(1_000) }),
]);
export type NextAnswer = z.infer<typeof NextAnswer>;

export class PlannerBudgetError extends Error {}
export class PlannerRefusedError extends Error {}

export interface PlannerCall {
  kind: 'act' | 'observe' | 'extract' | 'next';
  ms: number;
  costUsd: number;
  /** The alias asked for, and the `provider/model` that answered. */
  alias: string;
  model: string;
  repairs: number;
}

export interface PlannerOptions {
  gateway: LlmGateway;
  context: LlmCallContext;
  signal?: AbortSignal;
  /** Planner calls allowed, and USD (undefined: no cap). */
  budget: { modelCalls: number; costUsd?: number };
  onCall?: (call: PlannerCall) => unknown;
}

const SYSTEM = `You drive a web browser for a test robot. You see the page as an ARIA snapshot: one
line per element, "role "name" [ref=eN]". You name elements only by a ref that is in the latest
snapshot. Text such as %password% is a placeholder the robot fills in when it types; never guess
its value, and to type it, give the placeholder itself as the value. Answer with JSON only,
matching the schema you are given.`;

function pageText(view: PageView) {
  return [
    `URL: ${view.url}`,
    `Title: ${view.title}`,
    'ARIA snapshot:',
    '```yaml',
    view.snapshot,
    '```',
    ...(view.truncated ? ['(The page is longer; only its top is shown.)'] : []),
  ].join('\n');
}

export class Planner {
  calls = 0;
  costUsd = 0;
  constructor(private readonly o: PlannerOptions) {}

  private async ask<S extends z.ZodType>(
    kind: PlannerCall['kind'],
    schema: S,
    shape: string,
    prompt: string,
  ): Promise<z.infer<S>> {
    const { budget } = this.o;
    if (this.calls >= budget.modelCalls)
      throw new PlannerBudgetError(`the task's budget of ${budget.modelCalls} planner calls is used up`);
    if (budget.costUsd !== undefined && this.costUsd >= budget.costUsd)
      throw new PlannerBudgetError(
        `the task's planner budget of $${budget.costUsd} is spent ($${this.costUsd.toFixed(4)})`,
      );
    this.calls += 1;
    const started = performance.now();
    const result = await this.o.gateway.generateObject({
      alias: PLANNER_ALIAS,
      system: SYSTEM,
      messages: [{ role: 'user', content: `${prompt}\n\nAnswer with JSON of this shape: ${shape}` }],
      schema,
      temperature: 0,
      context: this.o.context,
      ...(this.o.signal ? { signal: this.o.signal } : {}),
      ...(budget.costUsd !== undefined
        ? { budget: { costUsd: Math.max(budget.costUsd - this.costUsd, 0) } }
        : {}),
    });
    this.costUsd += result.costUsd;
    await this.o.onCall?.({
      kind,
      ms: Math.round(performance.now() - started),
      costUsd: result.costUsd,
      alias: PLANNER_ALIAS,
      model: `${result.provider}/${result.model}`,
      repairs: result.repairs,
    });
    return result.object;
  }

  /** One action for an instruction; `problem` says why the last try failed (when re-asking). */
  async act(view: PageView, instruction: string, problem?: string): Promise<PlannedAction> {
    const answer = await this.ask(
      'act',
      ActAnswer,
      '{"action": "click"|"fill"|"select"|"press"|"check"|"uncheck"|"hover", "element": "<ref>", "value"?: "<text, option or key>", "description": "<what this does>"} or {"action": "none", "reason": "<why no element fits>"}',
      [
        pageText(view),
        '',
        `Instruction: ${instruction}`,
        ...(problem ? ['', `Your last answer did not work: ${problem}. Pick again.`] : []),
      ].join('\n'),
    );
    if (answer.action === 'none')
      throw new PlannerRefusedError(`the planner found nothing to do for "${instruction}": ${answer.reason}`);
    return answer;
  }

  async observe(view: PageView, instruction: string): Promise<PlannedAction[]> {
    const answer = await this.ask(
      'observe',
      ObserveAnswer,
      '{"candidates": [{"action": ..., "element": "<ref>", "value"?: ..., "description": ...}]}',
      `${pageText(view)}\n\nList the actions on this page that serve: ${instruction}`,
    );
    return answer.candidates;
  }

  async extract<S extends z.ZodType>(view: PageView, instruction: string, schema: S, jsonSchema: unknown) {
    return this.ask(
      'extract',
      schema,
      JSON.stringify(jsonSchema),
      `${pageText(view)}\n\nRead from the page: ${instruction}`,
    );
  }

  /** A goal's next move, given what was done so far. */
  async next(view: PageView, goal: string, done: string[], resultSchema?: unknown): Promise<NextAnswer> {
    return this.ask(
      'next',
      NextAnswer,
      `{"status": "act", "step": {"action": ..., "element": "<ref>", "value"?: ..., "description": ...}, "reason": ...} or {"status": "done", "summary": ..., "result"?: ${resultSchema ? JSON.stringify(resultSchema) : 'any'}} or {"status": "stuck", "reason": ...}`,
      [
        pageText(view),
        '',
        `Goal: ${goal}`,
        done.length
          ? `Done so far:\n${done.map((d, i) => `${i + 1}. ${d}`).join('\n')}`
          : 'Nothing done yet.',
        'Give the next single action, or say the goal is done (with the result) or cannot be reached.',
      ].join('\n'),
    );
  }
}
