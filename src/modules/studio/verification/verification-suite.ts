import { SMOKE_FILE, type VerifyInput } from '../../automation/index.ts';
import type { Blueprint } from '../../blueprint/index.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';

/** The browser robot's step, and the key its run has inside a build or a main release (thumbnails read it). */
export const VERIFY_STEP = 'automation.verify';
export const VERIFY_BROWSER_KEY = 'verify/browser';

/**
 * What the browser robot checks on a deployed commit, and the sentence that says so: the
 * Blueprint's user stories always; with them the acceptance checks the commit carries
 * (`.orchard/smoke.yml`, which an agent writes for what it built), else the Blueprint's pages; an
 * app with neither is checked on its home page.
 */
export async function verificationSuite(
  home: string,
  slug: string,
  input: { sha: string; url: string; blueprint?: Blueprint },
): Promise<{ input: VerifyInput; says: string }> {
  const smokeYaml = await readFileAt(repositoryPath(home, slug), input.sha, SMOKE_FILE);
  const blueprint = input.blueprint;
  const stories = (blueprint?.userStories ?? []).filter((s) => s.acceptance.some((a) => a.check)).length;
  const told = stories ? ` and ${stories} user stor${stories === 1 ? 'y' : 'ies'} of the Blueprint` : '';
  if (smokeYaml === undefined && !blueprint)
    return {
      input: { baseUrl: input.url, suite: { pages: [{ name: 'Home', path: '/' }] } },
      says: `The browser robot opens the home page at ${input.url} (no ${SMOKE_FILE} and no Blueprint says more).`,
    };
  return {
    input: {
      baseUrl: input.url,
      ...(blueprint ? { blueprint } : {}),
      ...(smokeYaml !== undefined ? { smokeYaml } : {}),
    },
    says:
      smokeYaml !== undefined
        ? `The browser robot runs the acceptance checks in ${SMOKE_FILE}${told} at ${input.url}.`
        : `The browser robot visits the Blueprint's pages${told} at ${input.url}.`,
  };
}
