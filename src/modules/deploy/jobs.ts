import { z } from 'zod';
import type { Queryable } from '../../platform/db/pool.ts';
import { DomainError } from '../../platform/errors.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import {
  defineStep,
  defineWorkflow,
  NonRetryableError,
  type Registry,
  type StepContext,
} from '../operations/index.ts';
import { findProjectById } from '../projects/index.ts';
import { parseEnvName } from './env-name.ts';
import { deployRelease } from './releases/deploy-release.ts';
import { prepareRelease } from './releases/prepare-release.ts';
import { findRelease } from './releases/release-store.ts';
import type { DeployRuntime } from './serve/runtime.ts';

/** `deploy.release` input: what the manual deploy route (or another workflow) asks for. */
export const DeployReleaseInput = z.object({
  env: z.string().min(1),
  ref: z.string().min(1),
  /** Who asked (for the audit log; permissions were checked before the operation started). */
  requestedBy: z.string().min(1).default('system'),
  /** Leave the environment be when it already runs (or is starting) the ref's release. */
  unlessServing: z.boolean().optional(),
});
export type DeployReleaseInput = z.infer<typeof DeployReleaseInput>;

interface PrepareOutput {
  releaseId: string;
  sha: string;
}

/** Domain errors (bad app.yml, failed build or health check) will not get better by retrying. */
function nonRetryable(error: unknown): never {
  if (error instanceof DomainError) throw new NonRetryableError(error.message);
  throw error;
}

async function projectOf(db: Queryable, ctx: StepContext<unknown>) {
  const project = ctx.projectId ? await findProjectById(db, ctx.projectId) : undefined;
  if (!project) throw new NonRetryableError('The operation has no project.');
  return project;
}

/**
 * `deploy.release`: `prepare-release` (extract the commit and run its build, or reuse the kept
 * release) → `deploy` (health-gated swap in the environment). The studio's build workflow can use
 * the same steps (`deploy.prepare-release`, `deploy.rollout`) or call `deployRef` from its own.
 */
export function registerDeployJobs(registry: Registry, runtime: Pick<DeployRuntime, 'deps' | 'urls'>) {
  const deps = runtime.deps;
  registry.add(
    defineWorkflow('deploy.release', DeployReleaseInput, (input) => [
      { key: 'prepare-release', step: 'deploy.prepare-release', input },
      { key: 'deploy', step: 'deploy.rollout', input, dependsOn: ['prepare-release'] },
    ]),
    defineStep<DeployReleaseInput, PrepareOutput>('deploy.prepare-release', {
      retry: { maxAttempts: 2, baseMs: 1_000, maxMs: 5_000 },
      timeoutMs: 20 * 60_000,
      handler: async (ctx) => {
        const project = await projectOf(deps.db, ctx);
        const env = parseEnvName(ctx.input.env);
        await ctx.progress(0, `Preparing ${ctx.input.ref}`);
        const release = await prepareRelease(deps, {
          project,
          ref: ctx.input.ref,
          branch: env.branch,
          actorName: ctx.input.requestedBy,
          onLog: (line, stream) => ctx.log(line, stream),
          signal: ctx.signal,
        }).catch(nonRetryable);
        await ctx.progress(1, `Release ${release.sha.slice(0, 7)} ready`);
        return { releaseId: release.id, sha: release.sha };
      },
    }),
    defineStep<DeployReleaseInput>('deploy.rollout', {
      retry: { maxAttempts: 2, baseMs: 1_000, maxMs: 5_000 },
      timeoutMs: 10 * 60_000,
      handler: async (ctx) => {
        const project = await projectOf(deps.db, ctx);
        const env = parseEnvName(ctx.input.env);
        const prepared = ctx.deps['prepare-release'] as PrepareOutput;
        const release = await findRelease(deps.db, prepared.releaseId);
        if (!release) throw new NonRetryableError(`Release ${prepared.releaseId} is gone.`);
        await ctx.progress(0, `Starting ${release.sha.slice(0, 7)} in ${env.name}`);
        const environment = await deployRelease(deps, {
          project,
          env,
          release,
          kind: 'deploy',
          ctx: { actor: { ...SYSTEM_ACTOR, username: ctx.input.requestedBy } },
          operationId: ctx.operationId,
          unlessServing: ctx.input.unlessServing,
        }).catch(nonRetryable);
        const url = runtime.urls.app(environment.host_label);
        await ctx.emit({ type: 'artifact', kind: 'url', name: env.name, url });
        await ctx.progress(1, `${env.name} serves ${release.sha.slice(0, 7)} at ${url}`);
        return {
          environment: env.name,
          releaseId: release.id,
          sha: release.sha,
          url,
          port: environment.port,
        };
      },
    }),
  );
}
