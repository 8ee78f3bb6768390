import { existsSync } from 'node:fs';
import type { RequestContext } from '../../../platform/context.ts';
import { type DbClient, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ValidationError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { branchHead, DEFAULT_BRANCH, repositoryPath } from '../../git/index.ts';
import { recordAudit, requirePerson } from '../../identity/index.ts';
import { startOperation } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { AgentBudget } from '../agent-runtime.ts';
import { AgentProfile } from '../profile/agent-profile.ts';
import { loadAgentProfile } from '../profile/load-agent-profile.ts';
import { toSessionProfile } from '../profile/session-profile.ts';
import { CLI_RUNTIMES } from './run-session.ts';
import type { StartAgentSessionBody } from './schemas.ts';
import type { AgentSessionDeps } from './session-deps.ts';
import {
  appendEntries,
  findActiveSession,
  insertSession,
  type SessionContext,
  type SessionRow,
  updateSession,
} from './session-store.ts';

export const AGENT_SESSION_KIND = 'agent.session';

/** A person decides what agents work on: agents do not start agents. */
export const AGENTS_CANNOT_START_AGENTS =
  'Agent tokens cannot start agent sessions: a person decides what agents work on';

/** The request's budget over the profile's (both in minutes of wall time), in the runtime's terms. */
export function toBudget(
  profile: AgentProfile['budget'],
  input: StartAgentSessionBody['budget'] = {},
): AgentBudget {
  const { maxWallMinutes, ...rest } = { ...profile, ...input };
  return { ...rest, maxWallMs: Math.round(maxWallMinutes * 60_000) };
}

/**
 * The project's agent profile (`.orchard/agent.yml`) as the default branch has it, whatever branch
 * the session works on; the defaults for a repository without one. Never the session's branch:
 * `orchard/*` branches are where agents push, so a profile read there would let an agent widen
 * what its next run may do (commands, setup, secrets, network) or spend (budget), or send the
 * code to another model or runtime. Only maintainers move the default branch. A bad file is a
 * ValidationError naming the line.
 */
async function sessionProfile(deps: AgentSessionDeps, slug: string) {
  const repo = repositoryPath(deps.config.home, slug);
  const head = existsSync(repo) ? await branchHead(repo, DEFAULT_BRANCH) : undefined;
  return { profile: head ? await loadAgentProfile(repo, head) : AgentProfile.parse({}), sha: head };
}

export interface StartSessionExtras {
  context?: SessionContext;
  issueNumber?: number;
  /** The operation that started this one (a Studio build). */
  parentOperationId?: string;
  /** The caller's own audit row, written in the session's transaction (nothing is left without it). */
  audit?: (tx: DbClient, session: SessionRow) => Promise<void>;
}

/** An agent acts on behalf of the person who delegates to it; a service account is no one to act for. */
export const SERVICES_CANNOT_DRIVE_AGENTS =
  'start or instruct agent sessions: an agent acts on behalf of the person who delegates to it';

/**
 * Starts an agent session in a project (developers): the record, its first transcript entry (the
 * instruction) and the `agent.session` operation that runs it (which mints the delegated token).
 * A runtime that needs a model refuses before anything is stored when none is configured, and a
 * branch another session is still working on is a 409 (both would move it; one would lose).
 */
export async function startAgentSession(
  deps: AgentSessionDeps,
  ctx: RequestContext,
  slug: string,
  body: StartAgentSessionBody,
  extras: StartSessionExtras = {},
): Promise<SessionRow> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_START_AGENTS);
  await requirePerson(deps.db, ctx.actor, SERVICES_CANNOT_DRIVE_AGENTS);
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'developer');
  // What the request leaves open, the project's profile says.
  const { profile, sha: profileSha } = await sessionProfile(deps, project.slug);
  const runtime = body.runtime ?? profile.runtime;
  const model = body.model ?? (runtime === 'llm-agent' ? profile.model : null);
  if (runtime === 'llm-agent') {
    const target = model?.includes('/') ? { model } : { alias: model ?? 'coder' };
    if (!(await deps.llm.isConfigured(target))) {
      throw new ValidationError(
        `No LLM provider is configured for ${target.model ?? `the "${target.alias}" alias`}, so the llm-agent cannot run. Add a provider (Settings → LLM providers, POST /api/llm/providers, or llm.providers in orchard.yaml) and map the alias to it, or choose the scaffold runtime.`,
        [{ field: 'body.model', message: 'no provider serves it' }],
      );
    }
  } else if (runtime !== 'scaffold' && !CLI_RUNTIMES[runtime] && !deps.extraRuntimes?.[runtime]) {
    throw new ValidationError(`The ${runtime} runtime is not available on this server.`, [
      { field: 'body.runtime', message: 'not available' },
    ]);
  }
  const budget = toBudget(profile.budget, body.budget);
  const allowCommands = profile.commands?.allow;
  const session = await withTransaction(deps.db, async (tx) => {
    if (body.branch) await requireBranchFree(tx, project.id, body.branch);
    const branch = body.branch ?? (await nextAgentBranch(tx, project.id));
    const row = await insertSession(tx, {
      projectId: project.id,
      runtime,
      model,
      startedBy: ctx.actor.userId,
      title: body.title,
      instructions: body.instructions,
      context: {
        ...extras.context,
        ...(allowCommands ? { allowCommands } : {}),
        ...(profile.network.allow.length ? { networkAllow: profile.network.allow } : {}),
        profile: toSessionProfile(profile, profileSha),
      },
      budget,
      branch,
      ...(extras.issueNumber !== undefined ? { issueNumber: extras.issueNumber } : {}),
    });
    const op = await startOperation(tx, deps.registry, {
      kind: AGENT_SESSION_KIND,
      input: { sessionId: row.id, run: 1 },
      actor: ctx.actor,
      projectId: project.id,
      ...(extras.parentOperationId ? { parentOperationId: extras.parentOperationId } : {}),
    });
    await updateSession(tx, row.id, { operation_id: op.id });
    const text = body.instructions ? `${body.title}\n\n${body.instructions}` : body.title;
    await appendEntries(tx, row.id, 1, [{ kind: 'message', data: { type: 'message', role: 'user', text } }]);
    await recordAudit(tx, ctx, {
      action: 'agent_session.start',
      target: { type: 'agent_session', id: row.id },
      projectId: project.id,
      data: { runtime, model: row.model, branch, title: body.title },
    });
    await extras.audit?.(tx, row);
    return { ...row, operation_id: op.id };
  });
  return session;
}

/**
 * Refuses a branch a queued or running session works on. Starts on one branch are serialized by a
 * transaction-scoped advisory lock, so two at once cannot both find it free.
 */
async function requireBranchFree(tx: Queryable, projectId: string, branch: string) {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7301))', [
    `agent-branch:${projectId}:${branch}`,
  ]);
  const busy = await findActiveSession(tx, projectId, { branch });
  if (busy)
    throw new ConflictError(
      `Agent session ${busy.id} is still working on ${branch}; wait for it to finish (or cancel it), then try again.`,
      { sessionId: busy.id },
    );
}

/** `orchard/agent-<n>`: the next free number among the project's sessions. */
async function nextAgentBranch(
  tx: { query: AgentSessionDeps['db']['query'] },
  projectId: string,
): Promise<string> {
  const { rows } = await tx.query<{ n: string }>(
    'SELECT count(*) + 1 AS n FROM agent_sessions WHERE project_id = $1',
    [projectId],
  );
  return `orchard/agent-${rows[0]!.n}`;
}
