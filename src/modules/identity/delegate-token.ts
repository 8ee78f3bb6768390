import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { type Actor, hasScope } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import type { AgentProjects } from './agent-projects.ts';
import { recordAudit } from './audit/record-audit.ts';
import { actorForToken } from './authenticate.ts';
import { ensureAgentPrincipal } from './ensure-agent-principal.ts';
import { findUserById, insertToken } from './store.ts';
import { generateToken, hashToken, tokenPrefix } from './token-format.ts';

/** The longest a delegated token lives: an agent session is hours, not weeks. */
export const MAX_DELEGATION_MS = 7 * 86_400_000;

/**
 * Branch globs an agent may push to: letters, digits, `.`, `_`, `-`, `/` and `*` (any characters,
 * `/` included), as git's branch names allow; e.g. `orchard/*`.
 */
export const PushBranches = z
  .string()
  .regex(
    /^(?!\/)[A-Za-z0-9._/*-]{1,100}$/,
    'use a branch glob such as orchard/* (letters, digits, . _ - / *)',
  );

export const DelegateTokenInput = z.object({
  projectId: z.uuid(),
  agentSessionId: z.uuid(),
  pushBranches: PushBranches.default('orchard/*'),
  expiresAt: z.date(),
});

export interface DelegatedToken {
  /** The token itself: returned once, never stored. */
  token: string;
  tokenId: string;
  expiresAt: Date;
  principal: { id: string; username: string };
  /** The token's actor, for an in-process agent run (the same one authentication would give). */
  actor: Actor;
}

export interface DelegateTokenDeps {
  db: Db;
  clock: Clock;
  projects: AgentProjects;
}

/**
 * Gives an agent session a token of the project's agent principal, acting for `delegatedBy`, who
 * must be a developer (or more) of the project: scopes `write`, this project only, pushes only to
 * `pushBranches`, expiring at `expiresAt` (at most 7 days on). The delegation is audited.
 */
export async function delegateToken(
  deps: DelegateTokenDeps,
  input: { delegatedBy: Actor } & z.input<typeof DelegateTokenInput>,
): Promise<DelegatedToken> {
  const parsed = DelegateTokenInput.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(
      `Cannot delegate a token: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
    );
  const { projectId, agentSessionId, pushBranches, expiresAt } = parsed.data;
  const { db, clock, projects } = deps;
  const by = input.delegatedBy;
  requireUndelegated(by, 'Agent tokens cannot delegate tokens');
  // A read-only credential cannot hand out the write an agent needs.
  if (!hasScope(by, 'write')) throw new ForbiddenError('Delegating to an agent needs the write scope.');
  const now = clock.now().getTime();
  if (expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_DELEGATION_MS)
    throw new ValidationError('A delegated token must expire in the future, at most 7 days from now.');
  const person = await findUserById(db, by.userId);
  if (!person) throw new NotFoundError('The delegating user does not exist.');
  if (person.kind !== 'human' || person.disabled)
    throw new ForbiddenError(`${person.username} cannot delegate: only active people start agent sessions.`);
  const project = await projects.requireDeveloper(by, projectId);

  const token = generateToken();
  const created = await withTransaction(db, async (tx) => {
    const { user, memberAdded } = await ensureAgentPrincipal(tx, project, projects);
    const row = await insertToken(tx, {
      userId: user.id,
      name: `agent session ${agentSessionId}`,
      hash: hashToken(token),
      prefix: tokenPrefix(token),
      scopes: ['write'],
      expiresAt,
      delegation: { projectId, delegatedBy: person.id, pushBranches, agentSessionId },
    });
    await recordAudit(
      tx,
      { actor: by },
      {
        action: 'token.delegate',
        target: { type: 'token', id: row.id },
        projectId,
        data: {
          agent: user.username,
          agentSessionId,
          pushBranches,
          scopes: row.scopes,
          expiresAt: expiresAt.toISOString(),
          ...(memberAdded ? { agentAddedAsDeveloper: true } : {}),
        },
      },
    );
    return { user, row };
  });
  return {
    token,
    tokenId: created.row.id,
    expiresAt,
    principal: { id: created.user.id, username: created.user.username },
    actor: await actorForToken(db, clock, created.row.id),
  };
}
