/**
 * The browser robot's vocabulary, as the Blueprint's acceptance checks write it: one action or
 * expectation per step, the key it has says which (`{click: "button"}`). `.orchard/smoke.yml`
 * (automation) uses the same steps. Values may contain `{{run}}`, which the robot replaces with an
 * id of its run, so a check that adds a record adds a new one each time it runs, and `{{origin}}`,
 * the origin of the app under test.
 */
import { z } from 'zod';

const Selector = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
/** The steps, with `value` read by `value` (text in JSON; in YAML `value: 42` is a number). */
function stepsWith<V extends z.ZodType<string, unknown>>(Value: V) {
  return {
    goto: z.strictObject({ goto: z.string().trim().min(1, 'must be a path such as /photos or a URL') }),
    click: z.strictObject({ click: Selector }),
    fill: z.strictObject({ fill: Selector, value: Value }),
    press: z.strictObject({
      press: z.string().min(1, 'must name a key such as Enter'),
      selector: Selector.optional(),
    }),
    select: z.strictObject({ select: Selector, value: Value }),
    wait: z.strictObject({
      wait: z.union([z.number().int().min(0).max(60_000, 'must be at most 60000 ms'), Selector], {
        error: 'must be milliseconds (a number) or a selector to wait for',
      }),
    }),
    expectText: z.strictObject({ expectText: z.string().trim().min(1, 'must not be empty').max(500) }),
    expectVisible: z.strictObject({ expectVisible: Selector }),
    screenshot: z.strictObject({
      screenshot: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/, 'use letters, digits, "-" and "_" (a file name)'),
    }),
    /** An instruction the planner (an LLM) turns into one action, once; the action cache replays it. */
    act: z.strictObject({ act: z.string().trim().min(1, 'must not be empty').max(2000) }),
  };
}

/** In a Blueprint (JSON): values are text, so the steps have a JSON Schema. */
const STEPS = stepsWith(z.string().max(1000, 'must be at most 1000 characters'));
/** In `.orchard/smoke.yml`: YAML turns `value: 42` into a number; the page only ever sees text. */
export const YAML_CHECK_STEPS = stepsWith(z.union([z.string(), z.number(), z.boolean()]).transform(String));
export type CheckStepName = keyof typeof STEPS;
export const CHECK_STEP_NAMES = Object.keys(STEPS) as CheckStepName[];
export type CheckStep = z.output<(typeof STEPS)[CheckStepName]>;

/** Says "is required" for a missing key instead of zod's generic type message. */
export const requiredMessage = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : undefined;

/** A step in a Blueprint (a union, so it has a JSON Schema for the API's types). */
export const CheckStep = z.union(
  [
    STEPS.goto,
    STEPS.click,
    STEPS.fill,
    STEPS.press,
    STEPS.select,
    STEPS.wait,
    STEPS.expectText,
    STEPS.expectVisible,
    STEPS.screenshot,
    STEPS.act,
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be exactly one of ${CHECK_STEP_NAMES.join(', ')} (e.g. { "click": "button" })`
        : undefined,
  },
);
