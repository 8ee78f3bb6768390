/**
 * The contract every implementer of a build fits: the built-in deterministic `scaffold` runtime
 * today, the built-in LLM agent and external agent CLIs (Claude Code, Codex, Gemini CLI) later.
 *
 * A runtime gets a task (what to build), a workspace (a git worktree of the project repository,
 * checked out at the branch's current head) and a context (cancellation, identity of the run). It
 * changes files in the workspace and reports what it does as a stream of events; it never touches
 * refs, pushes or merge requests — `buildOnBranch` commits what the runtime left in the
 * workspace, moves the branch, runs push handling and opens the merge request, the same way for
 * every runtime. A CLI agent that commits by itself is fine too: whatever is uncommitted at the
 * end is committed on top.
 *
 * Rules a runtime follows:
 * - `run` returns an async iterable; the caller drives it with `for await`. The last event is
 *   `result`; a run that ends without one failed.
 * - Cancellation: when `ctx.signal` aborts, stop promptly (kill child processes, abandon LLM
 *   calls) and throw `ctx.signal.reason`.
 * - Budgets: report spend with cumulative `usage` events (steps, tokens, cost). `driveAgent`
 *   aborts the run as soon as a reported figure passes the task's budget, and enforces
 *   `maxWallMs` itself; a runtime should also stop on its own before it overspends (e.g. cap an
 *   LLM call's output tokens at what is left).
 * - Paths in `file` events are relative to the workspace, with `/` separators.
 * - Never put secrets in events: they are stored and streamed to every viewer of the operation.
 */
import type { Blueprint, TemplateId } from '../blueprint/index.ts';

/** Limits on one run; every figure is optional (no limit). */
export interface AgentBudget {
  /** Tool-loop iterations (LLM agent) or CLI turns; the scaffold runtime takes one step. */
  maxSteps?: number;
  /** Input plus output tokens over the whole run. */
  maxTokens?: number;
  maxCostUsd?: number;
  /** Wall time of the whole run, from the first event requested. */
  maxWallMs?: number;
}

/** What to build. */
export interface AgentTask {
  /** One line, used for the commit subject and the merge request title. */
  title: string;
  /** The spec (Markdown) the implementer works from ('' when there is none). */
  spec: string;
  /**
   * What to do, in the requester's words (a change request, an issue's text, a review comment).
   * A coding agent's prompt; the scaffold runtime renders the Blueprint and ignores it.
   */
  instructions?: string;
  blueprint: Blueprint;
  /** The template to render (scaffold) or to start from (agents). */
  template: TemplateId;
  /** A model alias (`coder`) or `provider/model`; runtimes that call no model ignore it. */
  model?: string;
  budget?: AgentBudget;
}

/**
 * Where a runtime's model requests go: Orchard's provider-compatible proxy (every token metered
 * there), one base URL per wire protocol, and the key that authenticates the session to it — the
 * session's delegated token. Never logged, never put in events.
 */
export interface AgentLlmEndpoint {
  /** Anthropic Messages API base (the SDK's `baseURL`; requests go to `<base>/v1/messages`). */
  anthropic: string;
  /** OpenAI base including `/v1` (chat completions and responses). */
  openai: string;
  /** Gemini base (requests go to `<base>/v1beta/models/…`). */
  gemini: string;
  apiKey: string;
}

/**
 * Orchard's own MCP server (`/mcp`) as a session reaches it, and the session's delegated token
 * that authenticates it (the same token as the LLM endpoint's key): the tools that token may use —
 * its project's issues, merge requests, pipelines, operations and its branches' previews. Never
 * logged, never put in events.
 */
export interface AgentMcpEndpoint {
  url: string;
  token: string;
}

/** Where to build: a git worktree, detached at `baseSha`, that becomes `branch`. */
export interface AgentWorkspace {
  dir: string;
  branch: string;
  /** The commit the worktree started from (the branch's head, else the default branch's). */
  baseSha: string;
  projectSlug: string;
  /**
   * The worktree's git directory (inside the bare repository). Orchard's own git commands in the
   * workspace name it explicitly (workspaceGitEnv): the `.git` file in the workspace belongs to
   * the agent, which could point it at a repository whose config runs commands.
   */
  gitDir?: string;
}

export interface AgentContext {
  signal: AbortSignal;
  operationId?: string;
  projectId?: string;
  /** The agent session this run belongs to. */
  sessionId?: string;
  /** Where model requests go; runtimes that call a model fail clearly without it. */
  llm?: AgentLlmEndpoint;
  /** Orchard's MCP server for the session; runtimes that can use MCP tools offer them to the model. */
  mcp?: AgentMcpEndpoint;
  /**
   * What the session recorded before this run (its transcript): earlier runs, and the part of
   * this run a killed worker completed. A runtime that can resume continues after it — no
   * completed tool call is repeated; one that cannot starts over from the workspace as it is.
   * A follow-up instruction is the last `message` with role `user`.
   */
  history?: AgentEvent[];
}

export interface AgentUsage {
  steps: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export const ZERO_USAGE: AgentUsage = { steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };

export type AgentEvent =
  /** The runtime entered a phase of its own work (`render`, `write`, `edit`, `run-tests` …). */
  | { type: 'phase'; phase: string; message?: string }
  | { type: 'log'; line: string; stream?: 'stdout' | 'stderr' }
  | { type: 'file'; path: string; action: 'write' | 'delete'; bytes?: number }
  /** Fraction of the run done, 0..1. */
  | { type: 'progress'; fraction: number; message?: string }
  /** Something said in the conversation: the model's text, or a follow-up instruction. */
  | { type: 'message'; role: 'assistant' | 'user'; text: string }
  /** The model asked for a tool; `id` pairs it with its `tool-result`. */
  | { type: 'tool-call'; id: string; name: string; args: unknown }
  /** A tool's answer; `output` is what the model sees (truncated for long output). */
  | { type: 'tool-result'; id: string; name: string; output: string; isError?: boolean }
  /** A command that ran in the workspace (by a tool or by a CLI agent). */
  | { type: 'command'; command: string; exitCode: number | null; durationMs?: number; output?: string }
  /** Cumulative spend so far (not a delta). */
  | ({ type: 'usage' } & AgentUsage)
  /** The end of a successful run. */
  | { type: 'result'; summary: string; commitMessage?: string };

export interface AgentRuntime {
  /** `scaffold`, `llm`, `cli:claude-code` … */
  readonly name: string;
  run(task: AgentTask, workspace: AgentWorkspace, ctx: AgentContext): AsyncIterable<AgentEvent>;
}
