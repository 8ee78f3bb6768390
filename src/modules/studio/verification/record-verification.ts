import type { Actor } from '../../../platform/http/actor.ts';
import type { VerificationResult } from '../../automation/index.ts';
import { markReleaseVerified } from '../../deploy/index.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import type { StepContext } from '../../operations/index.ts';
import { findProjectById } from '../../projects/index.ts';
import { reportCheck } from '../../reviews/index.ts';
import type { StudioDeps } from '../deps.ts';
import { BLUEPRINT_FILE, storyLocator } from './story-locator.ts';
import { type StoryLocator, verificationAnnotations } from './verification-annotations.ts';

export const VERIFICATION_CHECK = 'browser-verification';

function failures(result: VerificationResult): string {
  const bad = result.pages.filter((p) => !p.passed);
  return bad
    .map(
      (p) =>
        `${p.name} (${p.url}): ${
          p.checks
            .filter((c) => !c.passed)
            .map((c) => `${c.name}: ${c.message}`)
            .join('; ') || 'failed'
        }`,
    )
    .join(' | ');
}

/**
 * The robot's verdict on a release, recorded: the release's verification (only a verified release
 * may be published), the `browser-verification` check of its commit — with an annotation per
 * failed check of a page, at its line of `.orchard/smoke.yml` or of the Blueprint's story — and a
 * `check` artifact of the operation. Returns the verdict in a sentence.
 */
export async function recordVerification(
  deps: StudioDeps,
  ctx: StepContext<unknown>,
  input: {
    actor: Actor;
    projectId: string;
    releaseId: string;
    sha: string;
    url: string;
    result: VerificationResult;
  },
): Promise<{ passed: boolean; summary: string }> {
  const { result } = input;
  await markReleaseVerified(deps.deploy.deps, { actor: input.actor }, input.releaseId, {
    operationId: ctx.operationId,
    passed: result.passed,
  });
  const passedPages = result.pages.filter((p) => p.passed).length;
  const summary = result.passed
    ? `All ${result.pages.length} page(s) passed in a real browser.`
    : `${result.pages.length - passedPages} of ${result.pages.length} page(s) failed: ${failures(result)}`.slice(
        0,
        1000,
      );
  await reportCheck(
    deps.db,
    {
      projectId: input.projectId,
      sha: input.sha,
      name: VERIFICATION_CHECK,
      status: result.passed ? 'success' : 'failure',
      summary,
      targetUrl: input.url,
      actor: input.actor,
      details: {
        operationId: ctx.operationId,
        releaseId: input.releaseId,
        pages: result.pages.map((p) => ({
          name: p.name,
          url: p.url,
          passed: p.passed,
          screenshot: p.screenshot?.url ?? p.screenshot?.blobId ?? null,
        })),
        annotations: verificationAnnotations(result, await storiesOf(deps, ctx, input, result)),
      },
    },
    deps,
  );
  await ctx.emit({
    type: 'artifact',
    kind: 'check',
    name: VERIFICATION_CHECK,
    status: result.passed ? 'success' : 'failure',
    summary,
  });
  return { passed: result.passed, summary };
}

/**
 * Where the failed user stories are written: the Blueprint file of the commit, when it has one
 * (a scaffolded app does). Reading it is best effort: the verdict stands without it.
 */
async function storiesOf(
  deps: StudioDeps,
  ctx: StepContext<unknown>,
  input: { projectId: string; sha: string },
  result: VerificationResult,
): Promise<StoryLocator | undefined> {
  if (!result.pages.some((p) => !p.passed && p.story)) return undefined;
  try {
    const project = await findProjectById(deps.db, input.projectId);
    if (!project) return undefined;
    const repo = repositoryPath(deps.config.home, project.slug);
    return storyLocator(await readFileAt(repo, input.sha, BLUEPRINT_FILE));
  } catch (error) {
    ctx.log(`The failed user stories are not located: ${(error as Error).message}`, 'stderr');
    return undefined;
  }
}
