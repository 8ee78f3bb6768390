import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import type { LlmGateway } from '../../llm/index.ts';
import type { Registry } from '../../operations/index.ts';
import type { Vault } from '../../secrets/index.ts';
import type { AgentLlmEndpoint, AgentMcpEndpoint, AgentRuntime } from '../agent-runtime.ts';
import type { DeliveryDeps } from '../deliver-branch.ts';
import type { OnSessionWaiting } from './session-waiting.ts';

/** A token delegated to the session's agent principal (identity module), and the actor it makes. */
export interface Delegation {
  token: string;
  tokenId: string;
  principalId: string;
  actor: Actor;
}

/** What agent sessions need from the composition root. */
export type AgentSessionDeps = DeliveryDeps & {
  registry: Registry;
  blobs: BlobStore;
  bus: EventBus;
  llm: Pick<LlmGateway, 'stream' | 'isConfigured'>;
  /** Opens the project secrets that `.orchard/agent.yml` gives to setup commands. */
  vault: Vault;
  /**
   * Makes the session's agent principal and a token delegated by `by`, narrowed to the project
   * and `orchard/*` pushes, expiring at `expiresAt`. Without it, sessions act as their starter.
   */
  delegate?: (input: {
    by: Actor;
    projectId: string;
    sessionId: string;
    expiresAt: Date;
  }) => Promise<Delegation>;
  /** Told, inside the transaction that ends a run, when the session now waits on its starter. */
  onSessionWaiting?: OnSessionWaiting;
  /** Revokes the tokens delegated to a session (at its end). */
  revokeDelegation?: (sessionId: string) => Promise<void>;
  /** Where a CLI runtime's model requests go (Orchard's proxy), for a given API key. */
  llmEndpoint?: (apiKey: string) => AgentLlmEndpoint | undefined;
  /** Where a session reaches Orchard's own MCP server (`/mcp`) with its delegated token. */
  mcpEndpoint?: (token: string) => AgentMcpEndpoint | undefined;
  /** Runtimes beyond the built-in ones (CLI agents), by name. */
  extraRuntimes?: Record<string, () => AgentRuntime>;
};
