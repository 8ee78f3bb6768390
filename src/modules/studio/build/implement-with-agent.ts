/**
 * `implement` when no template builds what was asked (or for a change request): an agent session
 * on the feature's branch — for a first build after the closest template's scaffold as its
 * starting point — followed until it ends. Its transcript, spend and merge request are the
 * session's; the build links to it.
 */
import {
  buildOnBranch,
  createScaffoldRuntime,
  findSession,
  findSessionOnBranch,
  SCAFFOLD_IDENTITY,
  startAgentSession,
} from '../../agents/index.ts';
import { branchHead, DEFAULT_BRANCH, isAncestor, repositoryPath } from '../../git/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import type { ProjectRow } from '../../projects/index.ts';
import { actorOf, type StudioDeps } from '../deps.ts';
import { type FeatureRow, previousFeature } from '../feature-store.ts';
import type { SdlcKind } from '../sdlc/sdlc-kinds.ts';
import type { BlueprintRow } from '../store.ts';
import { awaitOperation } from './await-operation.ts';
import type { BuildInput, ImplementOutput, SpecOutput } from './build-input.ts';

const AGENT_TIMEOUT_MS = 60 * 60_000;

/** How the browser robot checks what was asked: the agent writes it down for what it built. */
const ACCEPTANCE = `Write the acceptance checks for what was asked into .orchard/smoke.yml, as a user would check them in a browser. Format:
pages:
  - name: Home
    path: /
    steps:
      - expectVisible: "canvas"        # a CSS or role selector that must be visible
      - click: "text=Start"
      - fill: "#name"
        value: "Ada"
      - press: Enter
      - expectText: "Score"
Steps: goto, click, fill (+value), press, select (+value), wait (ms or selector), expectText, expectVisible, screenshot, and act (an instruction such as "submit the form" that Orchard's planner resolves once and then replays). Orchard's browser robot runs them against the deployed app; the build is verified only when they pass.`;

/** What the kind of work asks of the agent besides the request (sdlc/sdlc-kinds.ts). */
const KIND_DUTY: Record<SdlcKind, string> = {
  feature: 'add tests for the new behaviour',
  change: 'add or update tests for what you change',
  bugfix:
    'this is a bug fix: first write a regression test that reproduces the bug and fails, then fix the code so that it passes',
  chore: 'this is a chore: nothing a user sees may change, so every existing test must pass unchanged',
};

function instructions(input: BuildInput, template: string, kind: SdlcKind): string {
  const request = input.request ?? '';
  if (input.change)
    return `${request}\n\nThis is a change to an app that is already built: keep everything else working, keep \`npm test\` passing, and ${KIND_DUTY[kind]}. ${ACCEPTANCE}`;
  return [
    request,
    '',
    `The branch already holds a scaffold of the ${template} template generated from the Blueprint: a working Node app with /health, tests (\`npm test\`) and a pipeline (.orchard/pipeline.yml). Use it as the starting point and change it into what was asked — replace what does not belong, keep /health and the pipeline, and keep the tests passing with tests for the new behaviour.`,
    '',
    ACCEPTANCE,
  ].join('\n');
}

export async function implementWithAgent(
  deps: StudioDeps,
  ctx: StepContext<BuildInput>,
  build: { feature: FeatureRow; blueprint: BlueprintRow; project: ProjectRow; spec: SpecOutput },
): Promise<ImplementOutput> {
  const { feature, blueprint, project, spec } = build;
  const doc = blueprint.document;
  const actor = actorOf(ctx.input.requestedBy);
  const branch = feature.branch!;
  if (!ctx.input.change) {
    ctx.log(`▶ Scaffolding the ${spec.template} template as the agent's starting point`);
    await buildOnBranch(deps, {
      project,
      branch,
      runtime: createScaffoldRuntime(),
      task: {
        title: `Scaffold ${doc.feature}`,
        spec: feature.spec ?? '',
        blueprint: doc,
        template: spec.template,
      },
      requester: actor,
      identity: SCAFFOLD_IDENTITY,
      mergeRequest: {
        title: `Build ${doc.feature}`,
        description: `${doc.summary}\n\nStarted from the ${spec.template} template; an Orchard agent builds the rest (${ctx.input.fit?.reason ?? ''}).`,
      },
      signal: ctx.signal,
      operationId: ctx.operationId,
    });
  }
  // A change starts where the app is: the previous build's branch while it is not merged, else main.
  let baseRef: string | undefined;
  if (ctx.input.change) {
    const previous = await previousFeature(deps.db, blueprint.id, feature.id);
    const repo = repositoryPath(deps.config.home, project.slug);
    const head = previous?.branch ? await branchHead(repo, previous.branch) : undefined;
    const main = await branchHead(repo, DEFAULT_BRANCH);
    if (head && (!main || !(await isAncestor(repo, head, main)))) baseRef = previous!.branch!;
    ctx.log(`The change starts from ${baseRef ?? DEFAULT_BRANCH}.`);
  }
  // A retried step follows the session it already started instead of starting another.
  const earlier = await findSessionOnBranch(deps.db, project.id, branch, feature.created_at);
  const session =
    earlier && earlier.status !== 'failed' && earlier.status !== 'cancelled'
      ? earlier
      : await startAgentSession(
          deps,
          { actor },
          project.slug,
          {
            title: ctx.input.change ? clipTitle(ctx.input.request ?? 'Change') : `Build ${doc.feature}`,
            instructions: instructions(ctx.input, spec.template, feature.kind),
            runtime: 'llm-agent',
            budget: {},
            branch,
          },
          {
            context: {
              spec: feature.spec ?? '',
              blueprint: doc,
              template: spec.template,
              ...(baseRef ? { baseRef } : {}),
            },
            parentOperationId: ctx.operationId,
          },
        );
  await ctx.emit({
    type: 'artifact',
    kind: 'agent-session',
    name: session.title,
    sessionId: session.id,
    url: `/api/agent-sessions/${session.id}`,
  });
  ctx.log(`▶ The llm-agent works on ${branch} (session ${session.id})`);
  await awaitOperation(deps.db, deps.bus, session.operation_id!, {
    signal: ctx.signal,
    timeoutMs: AGENT_TIMEOUT_MS,
    tickMs: 2_000,
    onTick: async () => {
      const now = await findSession(deps.db, session.id);
      if (now) await ctx.progress(0.5, `${now.steps} model calls, ${now.title}`);
    },
  });
  const ended = await findSession(deps.db, session.id);
  if (ended?.status !== 'succeeded')
    throw new NonRetryableError(
      `The agent session ${session.id} ${ended?.status ?? 'vanished'}${ended?.error ? `: ${ended.error}` : ''}.`,
    );
  ctx.log(ended.summary ?? 'The agent finished.');
  // The same link the scaffold path announces, so the Studio shows the change's merge request live.
  if (ended.merge_request_number)
    await ctx.emit({
      type: 'artifact',
      kind: 'merge-request',
      name: `!${ended.merge_request_number}`,
      number: ended.merge_request_number,
      url: `/api/projects/${project.slug}/merge-requests/${ended.merge_request_number}`,
    });
  await ctx.progress(1, `${branch} → merge request !${ended.merge_request_number}`);
  return {
    branch,
    sha: ended.head_sha!,
    baseSha: ended.base_sha ?? ended.head_sha!,
    changed: true,
    mergeRequestNumber: ended.merge_request_number!,
    filesChanged: ended.diff_stat?.files ?? 0,
    runtime: 'llm-agent',
    summary: ended.summary ?? '',
  };
}

const clipTitle = (text: string) => {
  const line = text.split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
};
