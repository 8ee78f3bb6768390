import {
  type AgentEvent,
  buildOnBranch,
  createScaffoldRuntime,
  SCAFFOLD_IDENTITY,
} from '../../agents/index.ts';
import type { StepContext } from '../../operations/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { updateFeature } from '../feature-store.ts';
import type { BuildInput, ImplementOutput, SpecOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';
import { implementWithAgent } from './implement-with-agent.ts';

/** An agent run is bounded even when the runtime is deterministic. */
const IMPLEMENT_BUDGET = { maxWallMs: 10 * 60_000 };

/** Agent events → operation events: its phases and logs as log lines, files and spend as events. */
function forward(ctx: StepContext<unknown>) {
  return async (event: AgentEvent) => {
    switch (event.type) {
      case 'phase':
        ctx.log(`▶ ${event.message ?? event.phase}`);
        break;
      case 'log':
        ctx.log(event.line, event.stream);
        break;
      case 'file':
        await ctx.emit({
          type: 'file',
          path: event.path,
          action: event.action,
          ...(event.bytes !== undefined ? { bytes: event.bytes } : {}),
        });
        break;
      case 'progress':
        // The agent's work is the first 80% of the step; commit and push are the rest.
        await ctx.progress(event.fraction * 0.8, event.message);
        break;
      case 'usage': {
        const { type: _, ...usage } = event;
        await ctx.emit({ type: 'agent.usage', ...usage });
        break;
      }
      case 'result':
        ctx.log(event.summary);
        break;
    }
  };
}

/**
 * `implement`: the scaffold runtime writes the app on `orchard/<feature>` and opens the merge
 * request — or, when no template fits what was asked (or for a change request), an agent session does.
 */
export async function implementStep(
  deps: StudioDeps,
  ctx: StepContext<BuildInput>,
): Promise<ImplementOutput> {
  const feature = await enterPhase(deps, ctx, 'implement', 'Writing the code');
  const { blueprint, project } = await loadBuild(deps, ctx.input);
  const spec = ctx.deps['render-spec'] as SpecOutput;
  if (ctx.input.runtime === 'llm-agent')
    return implementWithAgent(deps, ctx, { feature, blueprint, project, spec });
  const doc = blueprint.document;
  const result = await buildOnBranch(deps, {
    project,
    branch: feature.branch!,
    runtime: createScaffoldRuntime(),
    task: {
      title: `Build ${doc.feature}`,
      spec: feature.spec ?? '',
      blueprint: doc,
      template: spec.template,
      budget: IMPLEMENT_BUDGET,
    },
    requester: actorOf(ctx.input.requestedBy),
    identity: SCAFFOLD_IDENTITY,
    mergeRequest: {
      title: `Build ${doc.feature}`,
      description: `${doc.summary}\n\nBuilt by Orchard's scaffold runtime from Blueprint v${spec.version} (${spec.template} template). The spec is \`docs/spec.md\`; every assumption is listed there.`,
    },
    signal: ctx.signal,
    operationId: ctx.operationId,
    onEvent: forward(ctx),
  });
  await updateFeature(deps.db, feature.id, { mergeRequestNumber: result.mergeRequestNumber });
  ctx.log(
    result.changed
      ? `Committed ${result.sha.slice(0, 12)} on ${result.branch} (${result.filesChanged} files).`
      : `Nothing changed since ${result.sha.slice(0, 12)}; ${result.branch} stays where it is.`,
  );
  await ctx.emit({
    type: 'artifact',
    kind: 'commit',
    name: result.branch,
    sha: result.sha,
    url: `/api/projects/${project.slug}/commits/${result.sha}`,
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
    baseSha: result.baseSha,
    changed: result.changed,
    mergeRequestNumber: result.mergeRequestNumber,
    filesChanged: result.filesChanged,
    runtime: result.runtime,
    summary: result.summary,
  };
}
