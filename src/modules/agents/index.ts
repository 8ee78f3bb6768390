/**
 * The agents module's public face: the runtime contract, the scaffold, llm-agent and CLI runtimes,
 * agent sessions, one run on a branch, and a project's agent profile (`.orchard/agent.yml`).
 */
export type {
  AgentBudget,
  AgentContext,
  AgentEvent,
  AgentLlmEndpoint,
  AgentMcpEndpoint,
  AgentRuntime,
  AgentTask,
  AgentUsage,
  AgentWorkspace,
} from './agent-runtime.ts';
export { type BuildOnBranchInput, type BuildOnBranchResult, buildOnBranch } from './build-on-branch.ts';
export { type CliRuntimeName, cliRuntimeNames } from './cli/cli-adapter.ts';
export { type CliRuntimeOptions, createCliRuntime } from './cli/cli-runtime.ts';
export { cliInstallDir, ensureCliInstalled } from './cli/install-cli.ts';
export { type DeliveredBranch, type DeliveryDeps, deliverBranch } from './deliver-branch.ts';
export { AgentBudgetExceededError, type AgentOutcome, driveAgent } from './drive-agent.ts';
export { AGENT_QUEUE, registerAgentJobs } from './jobs.ts';
export { createLlmAgentRuntime } from './llm-agent/llm-agent-runtime.ts';
export {
  AGENT_PROFILE_FILES,
  AGENT_RUNTIMES,
  type AgentEnvValue,
  AgentProfile,
  type AgentRuntimeName,
  DEFAULT_AGENT_PROFILE,
} from './profile/agent-profile.ts';
export { commandAllowed } from './profile/command-allowed.ts';
export { loadAgentProfile } from './profile/load-agent-profile.ts';
export { parseAgentProfile } from './profile/parse-agent-profile.ts';
export { markSetupDone, needsSetup, setupKey } from './profile/setup-cache.ts';
export { agentsOnReviewEvent } from './review-commands/agents-on-review-event.ts';
export { agentRoutes } from './routes.ts';
export { renderSpec } from './scaffold/render-spec.ts';
export { createScaffoldRuntime, SCAFFOLD_MANIFEST } from './scaffold/scaffold-runtime.ts';
export { listTemplates, renderTemplate } from './scaffold/templates.ts';
export { cancelAgentSession } from './sessions/cancel-agent-session.ts';
export { getAgentSession } from './sessions/get-agent-session.ts';
export { listAgentSessions } from './sessions/list-agent-sessions.ts';
export { readSessionEntries } from './sessions/read-session-entries.ts';
export { type AgentSessionView, SendMessageBody, StartAgentSessionBody } from './sessions/schemas.ts';
export { sendAgentMessage } from './sessions/send-agent-message.ts';
export { sessionBudgetGate } from './sessions/session-budget-gate.ts';
export type { AgentSessionDeps, Delegation } from './sessions/session-deps.ts';
export {
  findSession,
  findSessionOnBranch,
  type SessionContext,
  type SessionRow,
} from './sessions/session-store.ts';
export { sessionView } from './sessions/session-views.ts';
export type { SessionWaitingNews } from './sessions/session-waiting.ts';
export {
  AGENT_SESSION_KIND,
  AGENTS_CANNOT_START_AGENTS,
  startAgentSession,
} from './sessions/start-agent-session.ts';
export { type CommitIdentity, SCAFFOLD_IDENTITY } from './workspace.ts';
