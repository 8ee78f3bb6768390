/**
 * What one agent CLI (Claude Code, Codex, Gemini CLI) contributes to a CLI runtime: which package
 * to install, how to call it, and how to read its JSON stream. Everything else — installing,
 * sandboxing, the network, cancellation, the end of a run — is shared (cli-runtime.ts).
 */
import path from 'node:path';
import type { AgentEvent, AgentLlmEndpoint, AgentMcpEndpoint } from '../agent-runtime.ts';

export const cliRuntimeNames = ['cli:claude-code', 'cli:codex', 'cli:gemini'] as const;
export type CliRuntimeName = (typeof cliRuntimeNames)[number];

/** One run's call of the CLI, as the sandbox sees it. */
export interface CliInvocation {
  prompt: string;
  model?: string;
  /** The task's step budget, for CLIs that can stop themselves after so many turns. */
  maxSteps?: number;
  /** The endpoint as reachable inside the sandbox (through the LLM bridge). */
  llm: AgentLlmEndpoint;
  /**
   * Orchard's MCP server as reachable inside the sandbox (through the same bridge), with the
   * session's token: configured as the CLI's one MCP server, `orchard`.
   */
  mcp?: AgentMcpEndpoint;
  /** The CLI's private HOME for this run (writable, inside the sandbox). */
  home: string;
  /** Directories outside the workspace the CLI may read (the spec, when it is too long for the prompt). */
  readDirs: string[];
}

/** Maps a CLI's stream, event by event, to AgentEvents. */
export interface StreamMapper {
  /** The AgentEvents for one parsed line of the CLI's output (none for what Orchard does not show). */
  map(event: Record<string, unknown>): AgentEvent[];
  /** After the CLI exited: events still held back, and how the CLI said the run ended. */
  finish(): { events: AgentEvent[]; summary?: string; failure?: string };
}

export interface MapperContext {
  /** The workspace directory, to make the paths of `file` events relative. */
  workspace: string;
  /** What the mapper did not understand (unknown event types), for the debug log. */
  onUnknown?: (event: Record<string, unknown>) => void;
}

export interface CliAdapter {
  /** The directory name of its install (`claude-code`). */
  name: string;
  runtimeName: CliRuntimeName;
  /** For people: `Claude Code`. */
  label: string;
  packageName: string;
  /** The version Orchard pins (known to work with its mapping and the mock LLM). */
  version: string;
  /** argv that starts the CLI from its install directory; the last element is its program file. */
  entry(installDir: string): string[];
  /** Directories of the install to put first on PATH (helper programs such as ripgrep). */
  extraPath?(installDir: string): string[];
  /** Writes the settings files the CLI reads from its HOME; called before each run. */
  prepareHome?(invocation: CliInvocation): Promise<void>;
  /** The arguments after `entry`, and the CLI's own environment variables. */
  invocation(invocation: CliInvocation): { args: string[]; env: Record<string, string> };
  createMapper(context: MapperContext): StreamMapper;
}

/**
 * A path a CLI reported, relative to the workspace with `/` separators, or undefined when it lies
 * outside the workspace (a scratch file in /tmp is not part of the change).
 */
export function workspacePath(workspace: string, reported: string): string | undefined {
  const absolute = path.resolve(workspace, reported);
  const relative = path.relative(workspace, absolute);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/**
 * The `file` event for a CLI's file tool: the path inside the workspace (none for a path outside
 * it), with the bytes when the tool wrote the whole content.
 */
export function fileWritten(
  workspace: string,
  reported: string | undefined,
  wholeContent: string | undefined,
): AgentEvent | undefined {
  const relative = reported && workspacePath(workspace, reported);
  if (!relative) return undefined;
  return {
    type: 'file',
    path: relative,
    action: 'write',
    ...(wholeContent !== undefined ? { bytes: Buffer.byteLength(wholeContent) } : {}),
  };
}

/** The name Orchard's MCP server has in every CLI's configuration (its tools: `mcp__orchard__…` in Claude Code). */
export const ORCHARD_MCP_SERVER = 'orchard';

/** Reads a field of an untyped JSON object (CLI events are checked field by field, never trusted). */
export function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
