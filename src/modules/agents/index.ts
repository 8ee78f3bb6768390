/** The agents module's public face: the runtime contract, the scaffold and CLI runtimes, and one run on a branch. */
export type {
  AgentBudget,
  AgentContext,
  AgentEvent,
  AgentLlmEndpoint,
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
export { renderSpec } from './scaffold/render-spec.ts';
export { createScaffoldRuntime, SCAFFOLD_MANIFEST } from './scaffold/scaffold-runtime.ts';
export { listTemplates, renderTemplate } from './scaffold/templates.ts';
export { type CommitIdentity, SCAFFOLD_IDENTITY } from './workspace.ts';
