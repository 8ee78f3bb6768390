import { withTransaction } from '../../../platform/db/pool.ts';
import { ForbiddenError } from '../../../platform/errors.ts';
import { APP_SETTINGS_PATH } from '../../deploy/index.ts';
import {
  branchHead,
  checkMergeability,
  DEFAULT_BRANCH,
  readFileAt,
  repositoryPath,
} from '../../git/index.ts';
import {
  findOperationByKey,
  findStepOutputs,
  NonRetryableError,
  type StepContext,
} from '../../operations/index.ts';
import { findBranchPipeline } from '../../pipelines/index.ts';
import type { ProjectRow } from '../../projects/index.ts';
import { mergeCommitOf, mergeMergeRequest, RequiredChecksError } from '../../reviews/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { MAIN_RELEASE_KIND, mainReleaseKey } from '../main-release/main-release-input.ts';
import { setBlueprintStatus } from '../store.ts';
import { parkUntilEnded } from './await-operation.ts';
import type { BuildInput, ImplementOutput } from './build-input.ts';
import { loadBuild } from './build-step.ts';
import { reportBuildOutcome } from './report-build-outcome.ts';

/** main's pipeline and release are bounded by their own timeouts; this only bounds the wait. */
const MAIN_WAIT_MS = 60 * 60_000;

export interface LandOutput {
  merged: boolean;
  /** Why the merge request waits for a review (when not merged). */
  waiting?: string;
  mergeRequestNumber: number;
  sha?: string;
  staging?: { url: string; releaseId: string; verified: boolean };
}

/**
 * `land`: production follows main, so a verified build reaches staging through main. The first
 * build of a project merges its merge request by itself (fast-forward when it can), unless the
 * project or the build asks for a review first; a rebuild or a change waits for one. Once merged,
 * the step follows main: its pipeline, then the release of the merged commit on staging and its
 * verification (`studio.release-main`, started when the pipeline passes).
 */
export async function landStep(deps: StudioDeps, ctx: StepContext<BuildInput>): Promise<LandOutput> {
  const landed = await land(deps, ctx);
  // Verified on its preview, the Blueprint is built (again, after a retry of this step).
  await setBlueprintStatus(deps.db, ctx.input.blueprintId, 'built');
  await withTransaction(deps.db, (tx) =>
    reportBuildOutcome(deps, tx, ctx.input, { operationId: ctx.operationId, failed: false }),
  );
  return landed;
}

async function land(deps: StudioDeps, ctx: StepContext<BuildInput>): Promise<LandOutput> {
  const impl = ctx.deps.implement as ImplementOutput;
  const { project } = await loadBuild(deps, ctx.input);
  const repo = repositoryPath(deps.config.home, project.slug);
  const mr = impl.mergeRequestNumber;
  // A retry of this step after its merge (a worker lost while waiting for main) follows main again.
  const mergedBefore = await mergeCommitOf(deps.db, project.id, mr);
  if (mergedBefore) {
    ctx.log(`Merge request !${mr} is merged (${mergedBefore.slice(0, 7)}); following ${DEFAULT_BRANCH}.`);
    return followMain(deps, ctx, project, mr, mergedBefore);
  }
  const waiting = ctx.input.change
    ? 'a change is reviewed before it reaches main'
    : ctx.input.reviewFirst
      ? 'this project reviews builds before they reach main'
      : (await readFileAt(repo, `refs/heads/${DEFAULT_BRANCH}`, APP_SETTINGS_PATH)) !== undefined
        ? `${DEFAULT_BRANCH} already has an app, and a rebuild is reviewed before it replaces it`
        : undefined;
  if (waiting) {
    ctx.log(`Merge request !${mr} waits for a review (${waiting}); merging it releases it on staging.`);
    return { merged: false, waiting, mergeRequestNumber: mr };
  }
  await ctx.progress(0, `Merging !${mr} into ${DEFAULT_BRANCH}`);
  const [target, source] = await Promise.all([
    branchHead(repo, DEFAULT_BRANCH),
    branchHead(repo, impl.branch),
  ]);
  const fastForward = Boolean(
    target && source && (await checkMergeability(repo, target, source)).fastForward,
  );
  let sha: string;
  try {
    const merged = await mergeMergeRequest(
      deps,
      deps,
      { actor: actorOf(ctx.input.requestedBy) },
      project.slug,
      mr,
      {
        method: fastForward ? 'fast-forward' : 'merge',
      },
    );
    sha = merged.mergeCommitSha!;
  } catch (error) {
    // main's rule may require checks or approvals the branch does not have (yet): someone merges later.
    if (error instanceof RequiredChecksError) {
      const why = `${DEFAULT_BRANCH}'s merge rule is not met yet: ${error.blockers.map((b) => b.message).join('; ')}`;
      ctx.log(`Merge request !${mr} waits: ${why}`);
      return { merged: false, waiting: why, mergeRequestNumber: mr };
    }
    if (!(error instanceof ForbiddenError)) throw error;
    const why = `merging into ${DEFAULT_BRANCH} needs a maintainer (${error.message})`;
    ctx.log(`Merge request !${mr} waits for a maintainer: ${why}`);
    return { merged: false, waiting: why, mergeRequestNumber: mr };
  }
  ctx.log(
    `Merged !${mr} into ${DEFAULT_BRANCH} (${fastForward ? 'fast-forward' : 'merge commit'} ${sha.slice(0, 7)}).`,
  );
  await ctx.emit({ type: 'artifact', kind: 'merge', name: DEFAULT_BRANCH, number: mr, sha });
  return followMain(deps, ctx, project, mr, sha);
}

/** main's pipeline on the merged commit (started by the merge's push), then its release on staging. */
async function followMain(
  deps: StudioDeps,
  ctx: StepContext<BuildInput>,
  project: ProjectRow,
  mr: number,
  sha: string,
): Promise<LandOutput> {
  const pipeline = await findBranchPipeline(deps.db, project.id, DEFAULT_BRANCH, sha);
  if (pipeline?.operation_id) {
    await ctx.progress(0.2, `${DEFAULT_BRANCH}'s pipeline #${pipeline.number} runs`);
    const ended = await parkUntilEnded(deps, ctx, pipeline.operation_id, {
      timeoutMs: MAIN_WAIT_MS,
      what: `${DEFAULT_BRANCH}'s pipeline #${pipeline.number}`,
    });
    if (ended.status !== 'succeeded')
      throw new NonRetryableError(
        `${DEFAULT_BRANCH}'s pipeline #${pipeline.number} on ${sha.slice(0, 7)} did not pass (${ended.status}), so staging keeps what it runs.`,
      );
  }
  const release = await findOperationByKey(deps.db, MAIN_RELEASE_KIND, mainReleaseKey(project.id, sha));
  if (!release) {
    ctx.log(
      `Nothing releases ${sha.slice(0, 7)} on staging (no pipeline ran on ${DEFAULT_BRANCH}, or it has no app).`,
    );
    return { merged: true, mergeRequestNumber: mr, sha };
  }
  await ctx.progress(0.6, `Releasing ${sha.slice(0, 7)} on staging`);
  const ended = await parkUntilEnded(deps, ctx, release.id, {
    timeoutMs: MAIN_WAIT_MS,
    what: `The release of ${sha.slice(0, 7)} on staging`,
  });
  if (ended.status !== 'succeeded')
    throw new NonRetryableError(
      `Merged, but the release of ${sha.slice(0, 7)} on staging ${ended.status === 'failed' ? 'failed' : `was ${ended.status}`}: ${ended.error?.message ?? 'see its operation'}`,
    );
  const verdict = ((await findStepOutputs(deps.db, [release.id], 'verify/report')).get(release.id) ?? {}) as {
    url?: string;
    releaseId?: string;
    passed?: boolean;
  };
  if (verdict.url)
    await ctx.emit({
      type: 'artifact',
      kind: 'url',
      name: 'staging',
      url: verdict.url,
      releaseId: verdict.releaseId,
      sha,
    });
  await ctx.progress(1, `Staging runs ${sha.slice(0, 7)}`);
  return {
    merged: true,
    mergeRequestNumber: mr,
    sha,
    ...(verdict.url && verdict.releaseId
      ? { staging: { url: verdict.url, releaseId: verdict.releaseId, verified: verdict.passed === true } }
      : {}),
  };
}
