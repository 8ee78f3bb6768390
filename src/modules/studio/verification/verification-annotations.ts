import type { SourceRef, VerificationResult } from '../../automation/index.ts';
import { type CheckAnnotationInput, MAX_ANNOTATIONS } from '../../reviews/index.ts';

/**
 * Where a user story's acceptance check is written in the repository: the step (by index) when
 * given and found, else the criterion or the story; undefined when the repository does not say.
 */
export type StoryLocator = (
  story: { id: string; criterion: number },
  step: number | undefined,
) => SourceRef | undefined;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * One annotation per failed check of a page: at the line of `.orchard/smoke.yml` that says what
 * failed (the step, else the page), at the Blueprint's story when the repository holds it, else
 * about the page itself (its URL). Each links the page's screenshots.
 */
export function verificationAnnotations(
  result: VerificationResult,
  locateStory: StoryLocator = () => undefined,
): CheckAnnotationInput[] {
  const out: CheckAnnotationInput[] = [];
  for (const page of result.pages) {
    if (page.passed) continue;
    const screenshots = [page.screenshot, ...page.stepScreenshots]
      .flatMap((ref) => (ref?.url ? [{ name: clip(ref.name, 200), url: ref.url }] : []))
      .slice(0, 10);
    for (const check of page.checks) {
      if (check.passed) continue;
      const where =
        check.source ?? (page.story ? locateStory(page.story, check.step) : undefined) ?? page.source;
      out.push({
        ...(where ? { path: where.path, startLine: where.line } : {}),
        url: page.url,
        level: 'failure',
        title: clip(`${page.name}: ${check.name}`, 255),
        message: clip(check.message, 4_000),
        screenshots,
      });
    }
  }
  return out.slice(0, MAX_ANNOTATIONS);
}
