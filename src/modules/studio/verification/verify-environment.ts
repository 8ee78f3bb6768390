import { z } from 'zod';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import {
  ConflictError,
  ForbiddenError,
  UnavailableError,
  ValidationError,
} from '../../../platform/errors.ts';
import type { VerifyInput } from '../../automation/index.ts';
import {
  type DeployRuntime,
  type EnvironmentWithSlug,
  findEnvironmentAtUrl,
  findEnvironmentByParam,
  findRelease,
} from '../../deploy/index.ts';
import { recordAudit } from '../../identity/index.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { requestedBy } from '../deps.ts';
import { builtBlueprint } from './built-blueprint.ts';
import { ENVIRONMENT_BROWSER_KEY } from './report-environment-verification.ts';
import { VERIFY_STEP, verificationSuite } from './verification-suite.ts';
import { VERIFY_ENVIRONMENT_KIND, type VerifyEnvironmentInput } from './verify-environment-input.ts';

/** What to check: one of the project's environments, or a URL (of one, or of an allowed host). */
export const VerifyBody = z.object({
  env: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('An environment of the project: staging, production or preview/<branch>'),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2_000)
    .optional()
    .describe(
      "A URL of one of the project's environments, or of a host automation.allowHosts lets the robot visit",
    ),
  paths: z
    .array(z.string().regex(/^\//, 'must start with /').max(500))
    .min(1)
    .max(20)
    .optional()
    .describe(
      "Pages to open (paths) instead of the checks the commit's .orchard/smoke.yml and the Blueprint give",
    ),
});
export type VerifyBody = z.infer<typeof VerifyBody>;

export interface VerifyEnvironmentDeps {
  db: Db;
  registry: Registry;
  config: { home: string; automation: { allowHosts: readonly string[] } };
  deploy: Pick<DeployRuntime, 'deps' | 'urls'>;
}

const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/\.$/, '');

/** The environment a URL points at, when it is one of Orchard's; refused when another project's. */
async function environmentAt(
  deps: VerifyEnvironmentDeps,
  projectId: string,
  url: URL,
): Promise<EnvironmentWithSlug | undefined> {
  const env = await findEnvironmentAtUrl(
    { db: deps.db, config: deps.deploy.deps.config, urls: deps.deploy.urls },
    url,
  );
  if (env && env.project_id !== projectId)
    throw new ForbiddenError(`${url.origin} is an environment of another project; verify it from there.`);
  return env;
}

/**
 * Starts the browser robot on an environment of a project (or a URL): the checks the running
 * commit carries (`.orchard/smoke.yml`) and the user stories of the Blueprint the app was built
 * from, or the pages asked for. A run of the full checks is recorded on the environment's release
 * (its verification, which publishing needs) and as the commit's `browser-verification` check.
 */
export async function verifyEnvironment(
  deps: VerifyEnvironmentDeps,
  ctx: RequestContext,
  input: VerifyBody & { slug: string },
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, input.slug, 'developer');
  if (!deps.registry.step(VERIFY_STEP))
    throw new UnavailableError(`The browser robot (${VERIFY_STEP}) does not run in this Orchard.`);
  if ((input.env === undefined) === (input.url === undefined))
    throw new ValidationError('Say what to verify: env (staging, production or preview/<branch>) or url.', [
      { field: input.env === undefined ? 'env' : 'url', message: 'give exactly one of env and url' },
    ]);
  const asked = input.url ? new URL(input.url) : undefined;
  const environment = asked
    ? await environmentAt(deps, project.id, asked)
    : await findEnvironmentByParam(deps.db, project.id, input.env!);
  if (asked && !environment && !deps.config.automation.allowHosts.includes(hostOf(asked)))
    throw new ValidationError(
      `The browser robot visits this project's environments and the hosts automation.allowHosts names; ${hostOf(asked)} is neither.`,
      [{ field: 'url', message: 'is not an environment of this project or an allowed host' }],
    );
  // A sleeping app counts as serving: the robot's first request starts it again.
  const serving = environment?.status === 'running' || environment?.status === 'sleeping';
  if (environment && (!serving || !environment.current_release_id))
    throw new ConflictError(
      `${environment.name} is ${environment.status}, not serving a release; deploy to it first.`,
    );
  const release = environment?.current_release_id
    ? await findRelease(deps.db, environment.current_release_id)
    : undefined;
  const base = environment ? deps.deploy.urls.app(environment.host_label) : asked!.origin;
  // A URL with a path is a page to check; otherwise the environment's own checks.
  const paths =
    input.paths ?? (asked && asked.pathname !== '/' ? [asked.pathname + asked.search] : undefined);
  let verify: VerifyInput;
  let says: string;
  if (paths) {
    verify = { baseUrl: base, suite: { pages: paths.map((p) => ({ name: p, path: p })) } };
    says = `The browser robot opens ${paths.join(', ')} at ${base}.`;
  } else if (release) {
    const blueprint = await builtBlueprint(deps.db, project.id);
    ({ input: verify, says } = await verificationSuite(deps.config.home, project.slug, {
      sha: release.sha,
      url: base,
      ...(blueprint ? { blueprint } : {}),
    }));
  } else {
    verify = { baseUrl: base, suite: { pages: [{ name: 'Home', path: '/' }] } };
    says = `The browser robot opens the home page at ${base}.`;
  }
  const operationInput: VerifyEnvironmentInput = {
    requestedBy: requestedBy(ctx.actor),
    url: base,
    environment: environment?.name ?? null,
    // Only the full checks count as the release's verification: a few pages chosen by hand do not.
    release: release && !paths ? { id: release.id, sha: release.sha } : null,
    verify,
    browserKey: ENVIRONMENT_BROWSER_KEY,
  };
  const op = await withTransaction(deps.db, async (tx) => {
    const started = await startOperation(tx, deps.registry, {
      kind: VERIFY_ENVIRONMENT_KIND,
      input: operationInput,
      actor: ctx.actor,
      projectId: project.id,
    });
    await recordAudit(tx, ctx, {
      action: 'operation.start',
      target: { type: 'operation', id: started.id },
      projectId: project.id,
      data: { kind: VERIFY_ENVIRONMENT_KIND, environment: environment?.name ?? null, url: base },
    });
    return started;
  });
  return {
    operationId: op.id,
    environment: environment?.name ?? null,
    url: base,
    sha: release?.sha ?? null,
    says,
  };
}
