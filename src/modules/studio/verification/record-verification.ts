import type { Actor } from '../../../platform/http/actor.ts';
import type { VerificationResult } from '../../automation/index.ts';
import { markReleaseVerified } from '../../deploy/index.ts';
import type { StepContext } from '../../operations/index.ts';
import { reportCheck } from '../../reviews/index.ts';
import type { StudioDeps } from '../deps.ts';

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
 * may be published), the `browser-verification` check of its commit, and a `check` artifact of the
 * operation. Returns the verdict in a sentence.
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
  await reportCheck(deps.db, {
    projectId: input.projectId,
    sha: input.sha,
    name: VERIFICATION_CHECK,
    status: result.passed ? 'success' : 'failure',
    summary,
    targetUrl: input.url,
    details: {
      operationId: ctx.operationId,
      releaseId: input.releaseId,
      pages: result.pages.map((p) => ({
        name: p.name,
        url: p.url,
        passed: p.passed,
        screenshot: p.screenshot?.url ?? p.screenshot?.blobId ?? null,
      })),
    },
  });
  await ctx.emit({
    type: 'artifact',
    kind: 'check',
    name: VERIFICATION_CHECK,
    status: result.passed ? 'success' : 'failure',
    summary,
  });
  return { passed: result.passed, summary };
}
