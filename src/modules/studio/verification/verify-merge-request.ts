import { z } from 'zod';
import { findEnvironmentByParam, findRelease, previewName } from '../../deploy/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { findProjectById } from '../../projects/index.ts';
import { reportCheck } from '../../reviews/index.ts';
import { parkUntilEnded } from '../build/await-operation.ts';
import { actorOf, RequestedBy, type StudioDeps } from '../deps.ts';
import { builtBlueprint } from './built-blueprint.ts';
import { VERIFICATION_CHECK } from './record-verification.ts';
import { VERIFY_STEP, verificationSuite } from './verification-suite.ts';
import type { VerifyEnvironmentInput } from './verify-environment-input.ts';

/** `studio.verify-merge-request`: the preview a merge request's head was deployed to, checked. */
export const VERIFY_MERGE_REQUEST_KIND = 'studio.verify-merge-request';

export const VerifyMergeRequestInput = z.object({
  requestedBy: RequestedBy,
  mergeRequest: z.number().int().min(1),
  branch: z.string().min(1),
  sha: z.string().min(7),
  /** The `deploy.release` of the head to `preview/<branch>` that the verification waits for. */
  deployOperationId: z.uuid(),
});
export type VerifyMergeRequestInput = z.infer<typeof VerifyMergeRequestInput>;

const DEPLOY_WAIT_MS = 25 * 60_000;

/**
 * `verify`: waits for the head's preview deploy, then fans out the browser robot on it (`verify/browser`:
 * the commit's `.orchard/smoke.yml` and the user stories of the Blueprint the app was built from) and
 * `verify/report`, which records the verdict on the release and as the head commit's
 * `browser-verification` check — the merge request shows it. A preview that did not deploy is a
 * failed check too; a head that a newer push replaced is left to that push's own verification, and
 * a release the robot has already judged (a build's own check) is not checked twice.
 */
export async function verifyMergeRequestStep(deps: StudioDeps, ctx: StepContext<VerifyMergeRequestInput>) {
  const { branch, sha } = ctx.input;
  const project = ctx.projectId ? await findProjectById(deps.db, ctx.projectId) : undefined;
  if (!project) throw new NonRetryableError('The verification has no project.');
  const env = previewName(branch);
  await ctx.progress(0, `Waiting for ${env} to serve ${sha.slice(0, 7)}`);
  const deployed = await parkUntilEnded(deps, ctx, ctx.input.deployOperationId, {
    timeoutMs: DEPLOY_WAIT_MS,
    what: `The deploy of ${env}`,
  });
  if (deployed.status !== 'succeeded') {
    const summary = `${env} did not deploy (${deployed.status}), so the browser robot could not check ${sha.slice(0, 7)}.`;
    await reportCheck(
      deps.db,
      {
        projectId: project.id,
        sha,
        name: VERIFICATION_CHECK,
        status: 'failure',
        summary,
        actor: actorOf(ctx.input.requestedBy),
        details: { deployOperationId: ctx.input.deployOperationId },
      },
      deps,
    );
    throw new NonRetryableError(summary);
  }
  const environment = await findEnvironmentByParam(deps.db, project.id, env);
  const release = environment.current_release_id
    ? await findRelease(deps.db, environment.current_release_id)
    : undefined;
  if (!release || release.sha !== sha) {
    ctx.log(`${env} runs ${release?.sha.slice(0, 7) ?? 'nothing'} now; that push is verified on its own.`);
    return { skipped: true };
  }
  // A build checks its own branch's preview before its merge request is looked at: one verdict
  // per release is enough (POST …/verify asks for another).
  if (release.verification_operation_id) {
    ctx.log(
      `${sha.slice(0, 7)} was already checked in a browser (operation ${release.verification_operation_id}); its check stands.`,
    );
    return { skipped: true };
  }
  const url = deps.deploy.urls.app(environment.host_label);
  const blueprint = await builtBlueprint(deps.db, project.id);
  const suite = await verificationSuite(deps.config.home, project.slug, {
    sha,
    url,
    ...(blueprint ? { blueprint } : {}),
  });
  ctx.log(suite.says);
  await ctx.emit({
    type: 'phase',
    phase: 'verify',
    message: `Checking ${env} for merge request !${ctx.input.mergeRequest}`,
  });
  const report: VerifyEnvironmentInput = {
    requestedBy: ctx.input.requestedBy,
    url,
    environment: env,
    release: { id: release.id, sha },
    verify: suite.input,
    browserKey: `${ctx.stepKey}/browser`,
  };
  await ctx.addSteps([
    { key: 'browser', step: VERIFY_STEP, input: suite.input },
    {
      key: 'report',
      step: 'studio.report-environment-verification',
      input: report,
      dependsOn: ['browser'],
    },
  ]);
  return { skipped: false, url };
}
