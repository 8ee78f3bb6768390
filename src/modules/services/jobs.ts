import { buildOnBranch, type DeliveryDeps, SCAFFOLD_IDENTITY } from '../agents/index.ts';
import { emptyBlueprint } from '../blueprint/index.ts';
import { defineStep, defineWorkflow, NonRetryableError, type Registry } from '../operations/index.ts';
import { findProjectById } from '../projects/index.ts';
import { serviceDefinition } from './catalog.ts';
import { INTEGRATE_KIND, IntegrateInput, requesterActor } from './integrate/integrate-input.ts';
import { integrationOf } from './integrate/integration-files.ts';
import { integrationRuntime } from './integrate/integration-runtime.ts';

/**
 * `services.integrate`: one step that runs the service's integration as an agent run on its branch
 * (`buildOnBranch`: a worktree, the files, a commit, push handling, the merge request).
 */
export function registerServiceJobs(registry: Registry, deps: DeliveryDeps): void {
  registry.add(
    defineWorkflow(INTEGRATE_KIND, IntegrateInput, (input) => [
      { key: 'integrate', step: 'services.integrate', input },
    ]),
    defineStep<IntegrateInput>('services.integrate', {
      retry: { maxAttempts: 2, baseMs: 1_000, maxMs: 5_000 },
      timeoutMs: 10 * 60_000,
      handler: async (ctx) => {
        const project = ctx.projectId ? await findProjectById(deps.db, ctx.projectId) : undefined;
        if (!project) throw new NonRetryableError('The operation has no project.');
        const service = serviceDefinition(ctx.input.service);
        const integration = integrationOf(service.id);
        if (!integration) throw new NonRetryableError(`${service.name} has nothing to integrate.`);
        await ctx.progress(0, `Wiring ${service.name} into ${project.slug}`);
        const title = `Use Orchard's ${service.name.toLowerCase()} service`;
        const result = await buildOnBranch(deps, {
          project,
          branch: ctx.input.branch,
          runtime: integrationRuntime(service.id, integration),
          // The runtime writes fixed files: the task only names the commit.
          task: { title, spec: '', blueprint: emptyBlueprint(title), template: 'crud-app' },
          requester: requesterActor(ctx.input.requestedBy),
          identity: SCAFFOLD_IDENTITY,
          mergeRequest: {
            title,
            description: `${integration.summary}\n\nThe app gets ${service.env.map((v) => `\`${v.name}\``).join(', ')} at each start while ${service.name} is attached (Services in Orchard).`,
          },
          signal: ctx.signal,
          operationId: ctx.operationId,
          onEvent: (event) => {
            if (event.type === 'file') ctx.log(`wrote ${event.path}`);
          },
        });
        await ctx.emit({
          type: 'artifact',
          kind: 'merge-request',
          name: `!${result.mergeRequestNumber}`,
          number: result.mergeRequestNumber,
          opened: result.mergeRequestOpened,
          url: `/api/projects/${project.slug}/merge-requests/${result.mergeRequestNumber}`,
        });
        await ctx.progress(1, `${result.branch} → merge request !${result.mergeRequestNumber}`);
        return {
          branch: result.branch,
          sha: result.sha,
          changed: result.changed,
          mergeRequestNumber: result.mergeRequestNumber,
        };
      },
    }),
  );
}
