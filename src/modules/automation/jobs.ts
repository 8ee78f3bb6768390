import { z } from 'zod';
import type { Config } from '../../config.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/log.ts';
import { markSpanEnvironment } from '../../platform/tracing.ts';
import { defineStep, NonRetryableError, type Registry, type StepContext } from '../operations/index.ts';
import type { AccessCookie } from './access-cookie.ts';
import type { ArtifactStore } from './artifacts.ts';
import { storyChecks, suiteFromBlueprint } from './blueprint-suite.ts';
import type { BrowserPool } from './browser-pool.ts';
import { runId, withRunId } from './run-id.ts';
import { runVerification, type VerificationResult } from './run-verification.ts';
import { parseSmokeYaml, SmokeStep, SmokeSuite } from './smoke-suite.ts';
import { type Planning, smokeActResolver } from './tasks/smoke-act.ts';
import { BlockedUrlError, createUrlGuard, type Target } from './url-guard.ts';

/** An environment of Orchard's a URL points at: its ids and every host:port it answers on. */
export interface VerifiedEnvironment {
  id: string;
  projectId: string;
  targets: readonly Target[];
}

export interface AutomationDeps {
  config: Pick<Config, 'automation'>;
  pool: BrowserPool;
  artifacts: ArtifactStore;
  /**
   * The Orchard environment a start URL points at (the deploy module knows) with every host:port it
   * answers on, or undefined when it is none: the task may then reach only automation.allowHosts.
   * A verification's spans are stored with that environment's telemetry.
   */
  environmentOf?: (url: string) => Promise<VerifiedEnvironment | undefined>;
  /** Cookies that let the robot into the private environment a URL points at (the deploy module mints them). */
  accessCookies?: (url: string) => Promise<readonly AccessCookie[]>;
  logger?: Logger;
  /** Smoke suites' `act` steps: the action cache and the planner (absent: such steps fail). */
  planning?: Planning;
}

const BlueprintPages = z.looseObject({
  summary: z.string().optional(),
  sections: z.looseObject({
    pages: z.array(
      z.looseObject({
        name: z.string(),
        path: z.string().optional(),
        purpose: z.string().optional(),
        entity: z.string().optional(),
        kind: z.string(),
      }),
    ),
    apiEndpoints: z.array(z.looseObject({ entity: z.string().optional(), action: z.string() })).optional(),
  }),
  userStories: z
    .array(
      z.looseObject({
        id: z.string(),
        story: z.string(),
        acceptance: z.array(
          z.looseObject({
            text: z.string(),
            check: z.object({ path: z.string(), steps: z.array(SmokeStep) }).optional(),
          }),
        ),
      }),
    )
    .optional(),
});

/**
 * What `automation.verify` runs: a base URL and a suite, or the text of `.orchard/smoke.yml`, or a
 * Blueprint (its pages and user stories), or both of the last two (the file's pages and the
 * Blueprint's user stories: what was asked is checked whoever wrote the app).
 */
export const VerifyInput = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    suite: SmokeSuite.optional(),
    smokeYaml: z.string().max(200_000).optional(),
    blueprint: BlueprintPages.optional(),
    pageTimeoutMs: z.number().int().min(1_000).max(300_000).optional(),
    totalTimeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(30 * 60_000)
      .optional(),
  })
  .refine((v) => (v.suite === undefined) !== (v.smokeYaml === undefined && v.blueprint === undefined), {
    message: 'give a suite, or smokeYaml and/or blueprint',
  });
export type VerifyInput = z.input<typeof VerifyInput>;

const DEFAULT_TOTAL_MS = 5 * 60_000;

/** The file's pages, then the Blueprint's user-story checks. */
function withStories(suite: SmokeSuite, blueprint: z.output<typeof BlueprintPages> | undefined): SmokeSuite {
  return blueprint ? { ...suite, pages: [...suite.pages, ...storyChecks(blueprint)] } : suite;
}

/** Registers `automation.verify` (queue `browser`): the browser robot checks a deployed app. */
export function registerAutomationJobs(registry: Registry, deps: AutomationDeps): void {
  registry.add(
    defineStep<VerifyInput, VerificationResult>('automation.verify', {
      queue: 'browser',
      // A failed check is a result, not an error: retries are for a browser or worker lost mid-task.
      retry: { maxAttempts: 2, baseMs: 1_000, maxMs: 5_000 },
      timeoutMs: 30 * 60_000 + 60_000,
      handler: (ctx) => verifyStep(deps, ctx),
    }),
  );
}

/** The step handler, exported for tests and for callers that run it outside the engine. */
export async function verifyStep(
  deps: AutomationDeps,
  ctx: StepContext<VerifyInput>,
): Promise<VerificationResult> {
  const parsed = VerifyInput.safeParse(ctx.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new NonRetryableError(`automation.verify input is invalid: ${issues}`);
  }
  const input = parsed.data;
  let suite: SmokeSuite;
  try {
    suite = withRunId(
      input.suite ??
        (input.smokeYaml !== undefined
          ? withStories(parseSmokeYaml(input.smokeYaml), input.blueprint)
          : suiteFromBlueprint(input.blueprint!)),
      runId(),
      new URL(input.baseUrl).origin,
    );
  } catch (error) {
    if (error instanceof ValidationError) throw new NonRetryableError(error.message);
    throw error;
  }
  const verified = await deps.environmentOf?.(input.baseUrl);
  if (verified) markSpanEnvironment(verified);
  const { automation } = deps.config;
  // The task sees exactly the environment it verifies: not Orchard's API, not other projects' apps.
  const guard = createUrlGuard({
    environment: verified?.targets ?? [],
    allowHosts: automation.allowHosts,
    allowPrivate: automation.allowPrivate,
  });
  const acts = suite.pages.some((page) => page.steps.some((step) => 'act' in step));
  const act =
    acts && deps.planning
      ? await smokeActResolver(deps.planning, {
          operationId: ctx.operationId,
          projectId: ctx.projectId,
          signal: ctx.signal,
          onCall: (call) => ctx.emit({ type: 'planner', ...call }),
          ...(deps.logger ? { logger: deps.logger } : {}),
        })
      : undefined;
  ctx.log(`Verifying ${suite.pages.length} page(s) at ${input.baseUrl}`);
  try {
    const cookies = (await deps.accessCookies?.(input.baseUrl)) ?? [];
    const result = await runVerification({
      baseUrl: input.baseUrl,
      cookies,
      suite,
      pool: deps.pool,
      guard,
      artifacts: deps.artifacts,
      artifactPrefix: `operations/${ctx.operationId}/${ctx.stepKey}/attempt-${ctx.attempt}`,
      pageTimeoutMs: input.pageTimeoutMs,
      totalTimeoutMs: input.totalTimeoutMs ?? DEFAULT_TOTAL_MS,
      signal: ctx.signal,
      logger: ctx.logger,
      ...(act ? { act } : {}),
      onArtifact: (artifact) => ctx.emit({ type: 'artifact', ...artifact }),
      onPage: async (page, index, total) => {
        ctx.log(`${page.passed ? 'passed' : 'FAILED'}  ${page.name}  ${page.url}  (${page.durationMs} ms)`);
        for (const check of page.checks.filter((c) => !c.passed))
          ctx.log(`  ✗ ${check.name}: ${check.message}`, 'stderr');
        await ctx.progress((index + 1) / total, `${page.name}: ${page.passed ? 'passed' : 'failed'}`);
      },
    });
    ctx.log(
      result.passed ? 'Verification passed' : 'Verification failed',
      result.passed ? 'stdout' : 'stderr',
    );
    return result;
  } catch (error) {
    if (error instanceof BlockedUrlError) throw new NonRetryableError(error.message);
    throw error;
  }
}
