/**
 * `agent.run`, the step that runs one turn of an agent session (the first instruction, or a
 * follow-up): a worktree at the session's base with its last checkpoint restored, the runtime
 * driven to its result with every event appended to the transcript (and streamed as operation
 * events), then a commit on the session's branch, push handling and the merge request.
 *
 * Durable: a worker killed mid-run loses its lease; the step runs again elsewhere, reads the
 * transcript, restores the last checkpoint and hands the runtime its history, so no completed
 * tool call runs again and nothing recorded is lost.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DomainError, UnauthorizedError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { DEFAULT_PATH, handOverToSandbox } from '../../../platform/sandbox/index.ts';
import { addWorktree, branchHead, DEFAULT_BRANCH, ensureRepository } from '../../git/index.ts';
import { reloadActor } from '../../identity/index.ts';
import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { findProjectById, type ProjectRow, projectSandboxUser } from '../../projects/index.ts';
import type {
  AgentEvent,
  AgentLlmEndpoint,
  AgentMcpEndpoint,
  AgentRuntime,
  AgentTask,
  AgentWorkspace,
} from '../agent-runtime.ts';
import type { CliRuntimeName } from '../cli/cli-adapter.ts';
import { createCliRuntime } from '../cli/cli-runtime.ts';
import { deliverBranch } from '../deliver-branch.ts';
import { AgentBudgetExceededError, driveAgent } from '../drive-agent.ts';
import { type CommandNetwork, runWithEgress } from '../egress/run-with-egress.ts';
import { announceDelivered } from '../issues/announce-session-outcome.ts';
import { isMutating, type RunCommand } from '../llm-agent/agent-tools.ts';
import { createLlmAgentRuntime } from '../llm-agent/llm-agent-runtime.ts';
import { commandAllowed } from '../profile/command-allowed.ts';
import { plainEnv, underOrchard } from '../profile/profile-env.ts';
import { createScaffoldRuntime } from '../scaffold/scaffold-runtime.ts';
import { closeWorkspace, commitWorkspace, ensureDefaultBranch, removeStaleWorkspaces } from '../workspace.ts';
import { worktreeGitDir } from '../workspace-git-env.ts';
import { checkpointWorkspace, diffStat, discardCheckpointIndex, restoreCheckpoint } from './checkpoint.ts';
import { actorForSession } from './session-actor.ts';
import type { AgentSessionDeps } from './session-deps.ts';
import { recordedRunEnd, toEntry, toHistory } from './session-entries.ts';
import { sessionLink } from './session-link.ts';
import { runSessionSetup } from './session-setup.ts';
import { appendEntries, findSession, readEntries, type SessionRow, updateSession } from './session-store.ts';
import { sessionTask } from './session-task.ts';
import { tellSessionWaiting } from './session-waiting.ts';

export const RunSessionInput = z.object({ sessionId: z.uuid(), run: z.int().min(1) });
export type RunSessionInput = z.infer<typeof RunSessionInput>;

export const AGENT_IDENTITY = { name: 'Orchard agent', email: 'agent@orchard.localhost' };

/** Session runtime names of the agent CLIs. */
export const CLI_RUNTIMES: Record<string, CliRuntimeName> = {
  'claude-code': 'cli:claude-code',
  codex: 'cli:codex',
  'gemini-cli': 'cli:gemini',
};

/** The runtime a session names. */
export function pickRuntime(
  deps: AgentSessionDeps,
  session: SessionRow,
  project: ProjectRow,
  runCommand: RunCommand,
): AgentRuntime {
  if (session.runtime === 'llm-agent') return createLlmAgentRuntime({ gateway: deps.llm, runCommand });
  if (session.runtime === 'scaffold') return createScaffoldRuntime();
  const cli = CLI_RUNTIMES[session.runtime];
  if (cli)
    return createCliRuntime(cli, {
      home: deps.config.home,
      logger: deps.logger,
      sandboxUser: projectSandboxUser(project, deps.config.sandbox.uidBase),
      networkAllow: session.context?.networkAllow,
      env: plainEnv(session.context?.profile?.env),
    });
  const extra = deps.extraRuntimes?.[session.runtime];
  if (extra) return extra();
  throw new NonRetryableError(`Unknown agent runtime "${session.runtime}" for project ${project.slug}.`);
}

/**
 * `run` and `run_tests` commands: in the sandbox as the project's user, bounded output, no network
 * but the hosts of the profile's `network.allow` (through the egress proxy), with the profile's
 * plain env values (never its secrets: those go to setup only).
 */
function sandboxedCommands(
  deps: AgentSessionDeps,
  project: ProjectRow,
  dir: string,
  scratch: string,
  repo: string,
  allow: string[] | undefined,
  network: CommandNetwork | undefined,
  profileEnv: Record<string, string>,
): RunCommand {
  return async (command, options) => {
    if (allow && !commandAllowed({ allow }, command))
      return {
        exitCode: 126,
        output: `Not run: .orchard/agent.yml allows only commands starting with ${allow.map((a) => `"${a}"`).join(', ')} (one command, no chaining).`,
        timedOut: false,
      };
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: Buffer) => {
      if (size > 1_000_000) return;
      chunks.push(chunk);
      size += chunk.length;
    };
    const ran = await runWithEgress(network, {
      command: ['sh', '-c', command],
      workspace: dir,
      env: underOrchard(profileEnv, {
        PATH: DEFAULT_PATH,
        HOME: path.join(scratch, 'home'),
        TMPDIR: path.join(scratch, 'tmp'),
        LANG: 'C.UTF-8',
        CI: 'true',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'safe.directory',
        GIT_CONFIG_VALUE_0: '*',
      }),
      network: 'none',
      user: projectSandboxUser(project, deps.config.sandbox.uidBase),
      allowUnsandboxed: deps.config.sandbox.allowUnsandboxed,
      writable: [path.join(scratch, 'home'), path.join(scratch, 'tmp')],
      hidden: [deps.config.home],
      readOnly: [repo],
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onStdout: keep,
      onStderr: keep,
    });
    const output = Buffer.concat(chunks).toString('utf8') + ran.note;
    return { exitCode: ran.exitCode, output, timedOut: ran.timedOut };
  };
}

export async function runSessionStep(
  deps: AgentSessionDeps,
  ctx: StepContext<RunSessionInput>,
): Promise<unknown> {
  const { sessionId, run } = ctx.input;
  const session = await findSession(deps.db, sessionId);
  const project = session && (await findProjectById(deps.db, session.project_id));
  if (!session || !project) throw new NonRetryableError('The agent session or its project no longer exists.');
  if (session.status === 'succeeded' || session.status === 'cancelled') return { skipped: session.status };
  let started = Date.now();
  const priorWallMs = Number(session.wall_ms);
  await updateSession(deps.db, sessionId, {
    status: 'running',
    operation_id: ctx.operationId,
    stop_reason: null,
    error: null,
    finished_at: null,
    ...(session.started_at ? {} : { started_at: new Date() }),
  });

  const repo = await ensureRepository(deps.config.home, project.slug);
  await ensureDefaultBranch(repo, { projectName: project.name, identity: AGENT_IDENTITY });
  const workRoot = path.join(deps.config.home, 'work');
  await removeStaleWorkspaces(deps.db, deps.config.home, workRoot).catch(() => []);
  const baseRef = session.context?.baseRef;
  const baseSha =
    session.base_sha ??
    (await branchHead(repo, session.branch)) ??
    (baseRef ? await branchHead(repo, baseRef) : undefined) ??
    (await branchHead(repo, DEFAULT_BRANCH));
  if (!baseSha) throw new NonRetryableError(`The repository has no ${DEFAULT_BRANCH} branch to start from.`);
  if (!session.base_sha) await updateSession(deps.db, sessionId, { base_sha: baseSha });
  const dir = path.join(workRoot, 'agents', `${project.slug}-${ctx.operationId}`);
  const scratch = `${dir}.scratch`;
  // A killed attempt of this operation left these at the same paths; this attempt starts clean.
  await Promise.all([rm(scratch, { recursive: true, force: true }), discardCheckpointIndex(dir)]);
  await addWorktree(repo, dir, baseSha);
  const workspace: AgentWorkspace = {
    dir,
    gitDir: await worktreeGitDir(dir),
    branch: session.branch,
    baseSha,
    projectSlug: project.slug,
  };
  let checkpoint = session.checkpoint_sha ?? baseSha;

  try {
    if (session.checkpoint_sha) await restoreCheckpoint(workspace, session.checkpoint_sha);
    await mkdir(path.join(scratch, 'home'), { recursive: true });
    await mkdir(path.join(scratch, 'tmp'), { recursive: true });
    const user = projectSandboxUser(project, deps.config.sandbox.uidBase);
    await handOverToSandbox(user, { own: [dir, scratch], reach: [repo], root: deps.config.home }).catch(
      () => undefined,
    );
    const runtime = pickRuntime(
      deps,
      session,
      project,
      sandboxedCommands(
        deps,
        project,
        dir,
        scratch,
        repo,
        session.context?.allowCommands,
        commandNetwork(deps, ctx, session),
        plainEnv(session.context?.profile?.env),
      ),
    );
    // The session acts as its agent principal with a token delegated by its starter, minted for
    // this attempt (a killed attempt's token is revoked first) and revoked when the session ends.
    const starter = await actorForSession(deps, session);
    let actor = starter;
    let llm: AgentLlmEndpoint | undefined;
    let mcp: AgentMcpEndpoint | undefined;
    if (deps.delegate) {
      // A session cancelled while it was being set up gets no principal or token at all.
      ctx.signal.throwIfAborted();
      await deps.revokeDelegation?.(sessionId);
      const expiresAt = new Date(Date.now() + (session.budget.maxWallMs ?? 24 * 3_600_000) + 3_600_000);
      const delegation = await deps.delegate({ by: starter, projectId: project.id, sessionId, expiresAt });
      await updateSession(deps.db, sessionId, {
        principal_id: delegation.principalId,
        token_id: delegation.tokenId,
      });
      actor = delegation.actor;
      llm = deps.llmEndpoint?.(delegation.token);
      mcp = deps.mcpEndpoint?.(delegation.token);
    }
    const entries = await readEntries(deps.db, sessionId, 0, 100_000);
    const history = await toHistory(entries, deps.blobs);
    if (ctx.attempt > 1) {
      // The transcript says so too: a run that resumed reads differently from one that did not.
      const line = `Attempt ${ctx.attempt}: the previous attempt stopped before it finished; resuming from ${entries.length} transcript entries${session.checkpoint_sha ? ` and checkpoint ${session.checkpoint_sha.slice(0, 12)}` : ''}.`;
      await appendEntries(deps.db, sessionId, run, [{ kind: 'log', data: { type: 'log', line } }]);
      ctx.log(line);
    }
    const task: AgentTask = sessionTask(session, project);
    let blobs = 0;
    // One transaction per batch: a model turn (its text, its tool calls and the usage after it) is
    // recorded whole or not at all, so a worker killed mid-turn leaves no half turn to resume from.
    const record = async (events: AgentEvent[]) => {
      const entries = [];
      let usage: Extract<AgentEvent, { type: 'usage' }> | undefined;
      let moved = false;
      for (const event of events) {
        const extra: Record<string, unknown> = {};
        if (event.type === 'tool-result' && isMutating(event.name)) {
          checkpoint = await checkpointWorkspace(workspace, sessionId, checkpoint);
          extra.checkpoint = checkpoint;
          moved = true;
        }
        if (event.type === 'usage') usage = event;
        entries.push(
          await toEntry(
            event,
            {
              blobs: deps.blobs,
              key: () => `agent-sessions/${sessionId}/${run}-${ctx.attempt}-${++blobs}.json`,
            },
            extra,
          ),
        );
      }
      await appendEntries(deps.db, sessionId, run, entries, async (tx) => {
        if (moved) await updateSession(tx, sessionId, { checkpoint_sha: checkpoint });
        if (usage)
          await updateSession(tx, sessionId, {
            steps: usage.steps,
            input_tokens: usage.inputTokens,
            output_tokens: usage.outputTokens,
            cost_usd: usage.costUsd,
            wall_ms: priorWallMs + Date.now() - started,
          });
      });
      for (const event of events) await forward(ctx, event);
    };
    let turn: AgentEvent[] = [];
    const onEvent = async (event: AgentEvent) => {
      // The model's words and calls wait for what ends the turn (its usage, or a tool's result).
      if ((event.type === 'message' && event.role === 'assistant') || event.type === 'tool-call') {
        turn.push(event);
        return;
      }
      const batch = [...turn, event];
      turn = [];
      await record(batch);
    };
    const flushTurn = async () => {
      const batch = turn;
      turn = [];
      if (batch.length) await record(batch);
    };
    // A killed attempt may have got as far as the run's result, and a commit of it: the agent does
    // not run again (it has nothing left to do), and that commit is the one delivered.
    const ended = await recordedRunEnd(entries, run, deps.blobs);
    // `setup` of the session's profile, in a sandbox like the agent's commands. Its time is not the
    // agent's: the wall budget starts after it.
    if (!ended.result)
      started += await runSessionSetup(deps, ctx, {
        session,
        project,
        run,
        workspace,
        repo,
        scratch,
        codeSha: checkpoint,
        // network.allow: setup gets the network the agent's commands get.
        egress: commandNetwork(deps, ctx, session),
        settle: (reason, message) => settleSession(deps, session, reason, message),
      });
    const outcome =
      ended.result ??
      (await driveAgent(runtime, { ...task, budget: remainingWall(task, priorWallMs) }, workspace, {
        signal: ctx.signal,
        operationId: ctx.operationId,
        projectId: project.id,
        sessionId,
        history,
        ...(llm ? { llm } : {}),
        ...(mcp ? { mcp } : {}),
        onEvent,
      })
        .finally(flushTurn)
        .catch(async (error) => {
          if (error instanceof DomainError) {
            await settleSession(
              deps,
              session,
              error instanceof AgentBudgetExceededError ? 'budget' : 'error',
              error.message,
              priorWallMs + Date.now() - started,
            );
            throw new NonRetryableError(error.message);
          }
          throw error;
        }));

    ctx.signal.throwIfAborted();
    const commit = ended.committed
      ? { sha: ended.committed }
      : await commitWorkspace(workspace, {
          message: outcome.commitMessage ?? task.title,
          identity: AGENT_IDENTITY,
        });
    if (!ended.committed)
      await appendEntries(deps.db, sessionId, run, [
        { kind: 'status', data: { type: 'committed', sha: commit.sha } },
      ]);
    const stat = await diffStat(workspace, baseSha, commit.sha);
    // A delegation its person (or an admin) revoked during the run ends the session here: nothing
    // is pushed or proposed on their behalf after they took it back.
    if (actor.delegation) actor = await stillDelegated(deps, session, actor);
    const head = await branchHead(repo, session.branch);
    // Already there when a killed attempt had moved the branch: it is not moved (or announced) again.
    const previousSha = head === commit.sha ? head : head ? baseSha : undefined;
    const delivered = await deliverBranch(deps, {
      repo,
      projectId: project.id,
      projectSlug: project.slug,
      actor,
      branch: session.branch,
      sha: commit.sha,
      previousSha,
      title: session.title,
      description: mergeRequestText(session, outcome.summary),
    });
    // The issue hears of it as the agent; a comment that fails does not undo the delivery.
    await announceDelivered(deps.db, session, actor, {
      mergeRequestNumber: delivered.mergeRequestNumber,
      summary: outcome.summary,
    }).catch((error: Error) =>
      ctx.log(`Could not comment on issue #${session.issue_number}: ${error.message}`, 'stderr'),
    );
    // The delegated token ends before the session says it has: nothing may act with it after.
    await deps.revokeDelegation?.(sessionId);
    // The next follow-up starts from what was delivered. The last entry and the end are one
    // transaction: a transcript stream that sees the session ended has every entry to read.
    await appendEntries(
      deps.db,
      sessionId,
      run,
      [
        {
          kind: 'status',
          data: {
            type: 'delivered',
            sha: commit.sha,
            mergeRequestNumber: delivered.mergeRequestNumber,
            files: stat.files,
          },
        },
      ],
      async (tx) => {
        const settled = await updateSession(tx, sessionId, {
          status: 'succeeded',
          stop_reason: 'finished',
          summary: outcome.summary,
          head_sha: commit.sha,
          base_sha: commit.sha,
          checkpoint_sha: commit.sha,
          diff_stat: stat,
          merge_request_number: delivered.mergeRequestNumber,
          wall_ms: priorWallMs + Date.now() - started,
          finished_at: new Date(),
        });
        // Its starter hears the next move is theirs (review, or a follow-up), with the end.
        if (settled) await tellSessionWaiting(deps, tx, settled, run);
      },
    );
    await ctx.emit({
      type: 'artifact',
      kind: 'merge-request',
      name: `!${delivered.mergeRequestNumber}`,
      number: delivered.mergeRequestNumber,
      url: `/api/projects/${project.slug}/merge-requests/${delivered.mergeRequestNumber}`,
    });
    return {
      sha: commit.sha,
      mergeRequestNumber: delivered.mergeRequestNumber,
      summary: outcome.summary,
      files: stat.files,
    };
  } finally {
    await closeWorkspace(repo, workspace).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    await discardCheckpointIndex(dir).catch(() => undefined);
  }
}

/** `network.allow` from the session's profile; each connection attempt becomes a transcript line. */
function commandNetwork(
  deps: AgentSessionDeps,
  ctx: StepContext<RunSessionInput>,
  session: SessionRow,
): CommandNetwork | undefined {
  const allow = session.context?.networkAllow;
  if (!allow?.length) return undefined;
  return {
    allow,
    home: deps.config.home,
    record: async (lines) => {
      for (const line of lines) ctx.log(line);
      const entries = lines.map((line) => ({ kind: 'log' as const, data: { type: 'log' as const, line } }));
      await appendEntries(deps.db, session.id, ctx.input.run, entries);
    },
  };
}

/** The wall-time budget left after earlier runs of the session. */
function remainingWall(task: AgentTask, spentMs: number): AgentTask['budget'] {
  const budget = task.budget ?? {};
  return budget.maxWallMs === undefined
    ? budget
    : { ...budget, maxWallMs: Math.max(1, budget.maxWallMs - spentMs) };
}

function mergeRequestText(session: SessionRow, summary: string) {
  const issue = session.issue_number ? `\n\nCloses #${session.issue_number}.` : '';
  return `${summary}\n\nMade by an Orchard agent session (${session.runtime}) — ${sessionLink(session.id)}.${issue}`;
}

/** Records how a session ended when it ends for a reason of its own (budget, a refusal). */
export async function settleSession(
  deps: Pick<AgentSessionDeps, 'db' | 'revokeDelegation'>,
  session: Pick<SessionRow, 'id'>,
  reason: 'budget' | 'error' | 'cancelled' | 'setup',
  message: string,
  wallMs?: number,
) {
  await updateSession(deps.db, session.id, {
    status: reason === 'cancelled' ? 'cancelled' : 'failed',
    stop_reason: reason,
    error: message,
    finished_at: new Date(),
    ...(wallMs !== undefined ? { wall_ms: wallMs } : {}),
  });
  await deps.revokeDelegation?.(session.id);
}

/**
 * The session's delegated actor as it is now; a revoked (or expired) delegation settles the
 * session as failed, saying so, and ends the run for good (a retry would mint a new token).
 */
async function stillDelegated(
  deps: AgentSessionDeps,
  session: Pick<SessionRow, 'id'>,
  actor: Actor,
): Promise<Actor> {
  try {
    return await reloadActor(deps.db, deps.clock, actor);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    const message = `The delegation this session acted with no longer holds (${error.message.replace(/\.$/, '')}); nothing was delivered.`;
    await settleSession(deps, session, 'error', message);
    throw new NonRetryableError(message);
  }
}

/** Agent events → operation events (the operation page and the activity feed show them live). */
async function forward(ctx: StepContext<unknown>, event: AgentEvent) {
  switch (event.type) {
    case 'phase':
      ctx.log(`▶ ${event.message ?? event.phase}`);
      return;
    case 'log':
      ctx.log(event.line, event.stream);
      return;
    case 'progress':
      await ctx.progress(event.fraction * 0.9, event.message);
      return;
    case 'message':
      ctx.log(`${event.role === 'user' ? '› ' : ''}${event.text.slice(0, 2_000)}`);
      return;
    case 'tool-call':
      ctx.log(`⚙ ${event.name} ${JSON.stringify(event.args).slice(0, 200)}`);
      return;
    case 'tool-result':
      if (event.isError) ctx.log(`✗ ${event.name}: ${event.output.slice(0, 300)}`, 'stderr');
      return;
    case 'command':
      ctx.log(`$ ${event.command} → ${event.exitCode ?? 'killed'}`);
      return;
    case 'file':
      await ctx.emit({ type: 'file', path: event.path, action: event.action });
      return;
    case 'usage': {
      const { type: _, ...usage } = event;
      await ctx.emit({ type: 'agent.usage', ...usage });
      return;
    }
    case 'result':
      ctx.log(event.summary);
      return;
  }
}
