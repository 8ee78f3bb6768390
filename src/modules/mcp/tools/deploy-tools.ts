import { z } from 'zod';
import {
  DeployBody,
  deployToEnvironment,
  type EnvironmentActionDeps,
  listProjectEnvironments,
  publishToProduction,
  ReleaseRefBody,
  rollBack,
} from '../../deploy/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { type AwaitOperationDeps, awaitOperation, WaitSeconds } from './await-operation.ts';
import { Slug } from './tool-inputs.ts';

const Env = z.string().min(1).max(300).describe('staging, production or preview/<branch>');

/** deploy: environments, a deploy of a branch to its preview (or staging), publish, roll back. */
export function deployTools(res: EnvironmentActionDeps & AwaitOperationDeps) {
  return [
    defineTool({
      name: 'list_environments',
      set: 'deploy',
      title: 'List environments',
      description:
        "A project's staging, production and branch previews: their public URL, status and the release they run (commit, verified or not).",
      input: z.object({ slug: Slug }),
      route: { method: 'GET', url: '/api/projects/:slug/environments' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => listProjectEnvironments(res, ctx, args.slug),
    }),
    defineTool({
      name: 'deploy',
      set: 'deploy',
      title: 'Deploy a branch',
      description:
        'Deploys a branch (or commit) to its preview, preview/<branch>, or to staging, reporting progress until it serves (or waitSeconds pass); answers with the environment, its URL and the release. Production is changed only by publish; an agent deploys only the preview of its own branch.',
      input: DeployBody.extend({ slug: Slug, env: Env.default('staging'), waitSeconds: WaitSeconds }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/deploy',
        config: { projectRole: 'developer', delegated: true },
      },
      progress: true,
      slugOf: (args) => args.slug,
      run: async (ctx, { slug, waitSeconds, ...input }, call) => {
        const started = await deployToEnvironment(res, ctx, { slug, ...input });
        const { ended, operation } = await awaitOperation(res, ctx, call, started.operationId, waitSeconds);
        const environment = ended
          ? (await listProjectEnvironments(res, ctx, slug)).items.find((e) => e.name === started.environment)
          : undefined;
        return {
          ...started,
          status: operation.status,
          ...(operation.error ? { error: operation.error } : {}),
          ...(environment ? { environment } : {}),
          ...(ended ? {} : { note: 'Still deploying: follow it with get_operation.' }),
        };
      },
    }),
    defineTool({
      name: 'publish',
      set: 'deploy',
      title: 'Publish to production',
      description:
        'Promotes a verified release of a commit main has to production (default: what staging runs), behind a health-gated swap (maintainers).',
      input: ReleaseRefBody.extend({ slug: Slug }),
      route: { method: 'POST', url: '/api/projects/:slug/publish', config: { projectRole: 'maintainer' } },
      slugOf: (args) => args.slug,
      run: (ctx, args) => publishToProduction(res, ctx, args),
    }),
    defineTool({
      name: 'roll_back',
      set: 'deploy',
      title: 'Roll back an environment',
      description:
        'Puts an environment back on a release it ran before (default: the previous one), without a rebuild. Production needs a maintainer.',
      input: ReleaseRefBody.extend({ slug: Slug, env: Env }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/environments/:env/rollback',
        config: { projectRole: 'developer' },
      },
      slugOf: (args) => args.slug,
      run: (ctx, args) => rollBack(res, ctx, args),
    }),
  ];
}
