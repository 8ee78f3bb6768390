import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineStep, defineWorkflow, type StepContext } from './engine/define.ts';
import type { Registry } from './engine/registry.ts';

/** `system.canary`: the engine's own diagnostic — a chain of steps with injectable delay, failures and fan-out. */
export const CanaryInput = z.object({
  /** Steps in the chain s1 → s2 → … */
  steps: z.number().int().min(1).max(100).default(3),
  /** How long each step runs (with progress events on the way). */
  stepMs: z.number().int().min(0).max(600_000).default(0),
  /** Each chain step fails its first `failTimes` attempts (retryable). */
  failTimes: z.number().int().min(0).max(5).default(0),
  /** s1 adds this many children; s2 waits for all of them. */
  fanout: z.number().int().min(0).max(1000).default(0),
  /** Each chain step returns a payload this big. */
  payloadBytes: z.number().int().min(0).max(1_000_000).default(0),
});
export type CanaryInput = z.infer<typeof CanaryInput>;

interface CanaryStepInput {
  index: number;
  stepMs: number;
  failTimes: number;
  fanout: number;
  payloadBytes: number;
}

const canaryStep = defineStep<CanaryStepInput>('canary.step', {
  retry: { maxAttempts: 6, baseMs: 50, maxMs: 1_000 },
  handler: async (ctx) => {
    const { index, stepMs, failTimes, fanout, payloadBytes } = ctx.input;
    if (ctx.attempt <= failTimes) throw new Error(`canary: injected failure ${ctx.attempt} of ${failTimes}`);
    if (fanout > 0) {
      await ctx.addSteps(
        Array.from({ length: fanout }, (_, i) => ({
          key: `leaf${i + 1}`,
          step: 'canary.leaf',
          input: { index: i + 1 },
        })),
      );
    }
    await work(ctx, stepMs);
    return { index, attempt: ctx.attempt, payload: 'x'.repeat(payloadBytes) };
  },
});

const canaryLeaf = defineStep<{ index: number }>('canary.leaf', {
  handler: async (ctx) => ({ leaf: ctx.input.index }),
});

/** Sleeps `ms` in slices, reporting progress; stops when the signal aborts. */
async function work(ctx: StepContext<unknown>, ms: number) {
  if (ms <= 0) return;
  const slices = Math.max(1, Math.min(10, Math.floor(ms / 100)));
  for (let i = 0; i < slices; i++) {
    await ctx.progress(i / slices, `working ${i + 1}/${slices}`);
    await sleep(ms / slices, undefined, { signal: ctx.signal });
  }
  await ctx.progress(1, 'done');
}

export const CANARY_KIND = 'system.canary';

export const canaryWorkflow = defineWorkflow(
  CANARY_KIND,
  CanaryInput,
  (input) =>
    Array.from({ length: input.steps }, (_, i) => ({
      key: `s${i + 1}`,
      step: 'canary.step',
      input: {
        index: i + 1,
        stepMs: input.stepMs,
        failTimes: input.failTimes,
        fanout: i === 0 ? input.fanout : 0,
        payloadBytes: input.payloadBytes,
      } satisfies CanaryStepInput,
      dependsOn: i > 0 ? [`s${i}`] : [],
    })),
  { apiStartable: true, adminOnly: true },
);

/** Registers the canary (every Orchard process does: `/ready?deep=1` and the benchmarks use it). */
export function registerCanaryJobs(registry: Registry) {
  registry.add(canaryWorkflow, canaryStep, canaryLeaf);
}
