import { z } from 'zod';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { DbClient } from '../../platform/db/pool.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { contextOf } from '../../platform/http/request-context.ts';
import type { Resources } from '../../platform/resources.ts';
import type { DeliveryDeps } from '../agents/index.ts';
import type { DeployRuntime } from '../deploy/index.ts';
import type { LlmGateway } from '../llm/index.ts';
import type { Registry } from '../operations/index.ts';
import type { Vault } from '../secrets/index.ts';
import type { LlmChatAnswer } from './schemas.ts';

/**
 * What the Studio's workflows need from the composition root: the push and review listeners (an
 * agent's branch is handled exactly like a push), the engine, artifacts, the LLM gateway and the
 * deploy runtime.
 */
export type StudioDeps = DeliveryDeps & {
  registry: Registry;
  bus: EventBus;
  blobs: BlobStore;
  llm: LlmGateway;
  vault: Vault;
  deploy: Pick<DeployRuntime, 'deps' | 'urls'>;
  /** Told how each build ended (notifications), inside the transaction that records it. */
  onBuildOutcome?: (tx: DbClient, outcome: BuildOutcome) => Promise<void>;
};

/** How a build ended: failed (its failed step and error in `reason`) or succeeded. */
export interface BuildOutcome {
  operationId: string;
  run: number;
  blueprintId: string;
  projectId: string;
  projectSlug: string;
  requestedBy: string;
  failed: boolean;
  reason?: string;
}

/** Who started a workflow; its steps act as this user (their project role is checked again). */
export const RequestedBy = z.object({
  userId: z.string().min(1),
  username: z.string().min(1),
  role: z.enum(['admin', 'member']),
});
export type RequestedBy = z.infer<typeof RequestedBy>;

export function requestedBy(actor: Actor): RequestedBy {
  return { userId: actor.userId, username: actor.username, role: actor.role };
}

/** The actor a step acts as: the requester, with read and write scopes (never admin). */
export function actorOf(who: RequestedBy): Actor {
  return {
    userId: who.userId,
    username: who.username,
    role: who.role,
    via: 'token',
    scopes: ['read', 'write'],
  };
}

/**
 * Where a chat message goes when the rule-based Architect is not the one to answer (LLM mode);
 * undefined hands it back to the rule-based Architect.
 */
export type ChatHandler = (
  ctx: ReturnType<typeof contextOf>,
  id: string,
  content: string,
  mode: 'auto' | 'llm',
) => Promise<{ status: 202; body: LlmChatAnswer } | undefined>;

export type StudioRouteDeps = Resources & { registry: Registry; llm: LlmGateway };
