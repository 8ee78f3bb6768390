/**
 * The llm-agent's tools: what the model may do in its workspace. Each returns the text the model
 * sees and the events that record what happened (files written, commands run). Refusals (a path
 * outside the repository, an ambiguous edit) are tool errors the model can correct, not failures
 * of the run.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../../platform/errors.ts';
import { runGit } from '../../git/index.ts';
import type { AgentEvent } from '../agent-runtime.ts';
import { editText, truncateMiddle } from './edit-text.ts';
import { workspacePath } from './workspace-path.ts';

/** Runs a shell command in the workspace, sandboxed; output is stdout and stderr interleaved. */
export type RunCommand = (
  command: string,
  options: { timeoutMs: number; signal: AbortSignal },
) => Promise<{ exitCode: number | null; output: string; timedOut: boolean }>;

export interface ToolEnv {
  dir: string;
  /** For git commands in the workspace (workspaceGitEnv). */
  gitEnv: Record<string, string>;
  runCommand?: RunCommand;
  /** The command `run_tests` runs (default `npm test`). */
  testCommand: string;
  signal: AbortSignal;
}

export interface ToolOutcome {
  output: string;
  isError?: boolean;
  events: AgentEvent[];
  /** `finish` was called: the run ends with this summary. */
  finished?: string;
  /** The tool may have changed the workspace (a checkpoint is due). */
  mutated?: boolean;
}

const MAX_READ = 24_000;
const MAX_COMMAND_OUTPUT = 8_000;
const MAX_LIST = 400;
const DEFAULT_TIMEOUT_S = 120;

export const AGENT_TOOLS = {
  list_files: {
    description:
      'List files of the repository (tracked and new, without ignored ones), optionally under a directory.',
    inputSchema: z.object({
      path: z.string().optional().describe('A directory relative to the repository root'),
    }),
  },
  read_file: {
    description:
      'Read a text file. Long files come in pieces: pass offset (a line number, 1-based) and limit (lines).',
    inputSchema: z.object({
      path: z.string(),
      offset: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).optional(),
    }),
  },
  search: {
    description: 'Search the repository for a regular expression (git grep); returns file:line:text matches.',
    inputSchema: z.object({ pattern: z.string().min(1), path: z.string().optional() }),
  },
  write_file: {
    description: 'Create or overwrite a file with the whole content given.',
    inputSchema: z.object({ path: z.string(), content: z.string() }),
  },
  edit_file: {
    description:
      'Replace old_text with new_text in a file. old_text must occur exactly once; include enough surrounding lines to make it unique.',
    inputSchema: z.object({ path: z.string(), old_text: z.string(), new_text: z.string() }),
  },
  run: {
    description:
      "Run a shell command in the repository (sandboxed; no network but the hosts in network.allow of the project's .orchard/agent.yml). Returns exit code and output.",
    inputSchema: z.object({
      command: z.string().min(1),
      timeout_seconds: z.number().int().min(1).max(1800).optional(),
    }),
  },
  run_tests: {
    description: "Run the project's tests. Returns exit code and output.",
    inputSchema: z.object({}),
  },
  finish: {
    description: 'Say you are done, with a short summary of what you changed and why. Call it once, last.',
    inputSchema: z.object({ summary: z.string().min(1) }),
  },
} as const;

export type ToolName = keyof typeof AGENT_TOOLS;

/** Tools that can change the workspace. */
const MUTATING = new Set<string>(['write_file', 'edit_file', 'run', 'run_tests']);

export function isMutating(name: string) {
  return MUTATING.has(name);
}

const fail = (output: string): ToolOutcome => ({ output, isError: true, events: [] });

/** Runs one tool call; argument errors and refusals come back as tool errors. */
export async function runTool(env: ToolEnv, name: string, rawArgs: unknown): Promise<ToolOutcome> {
  const tool = (AGENT_TOOLS as Record<string, (typeof AGENT_TOOLS)[ToolName]>)[name];
  if (!tool) return fail(`There is no tool named ${name}. Tools: ${Object.keys(AGENT_TOOLS).join(', ')}.`);
  const parsed = tool.inputSchema.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return fail(
      `Bad arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`,
    );
  }
  try {
    const outcome = await TOOLS[name as ToolName](env, parsed.data as never);
    return { ...outcome, mutated: MUTATING.has(name) };
  } catch (error) {
    if (error instanceof DomainError) return fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('No such file. Use list_files to see what exists.');
    if (code === 'EISDIR') return fail('That is a directory; use list_files.');
    throw error;
  }
}

type Handlers = {
  [K in ToolName]: (
    env: ToolEnv,
    args: z.infer<(typeof AGENT_TOOLS)[K]['inputSchema']>,
  ) => Promise<ToolOutcome>;
};

const TOOLS: Handlers = {
  async list_files(env, args) {
    const { rel } = await workspacePath(env.dir, args.path ?? '');
    const listed = await runGit(
      ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', rel || '.'],
      { cwd: env.dir, env: env.gitEnv },
    );
    const files = listed.stdout.toString('utf8').split('\0').filter(Boolean).sort();
    if (!files.length)
      return { output: rel ? `No files under ${rel}.` : 'The repository is empty.', events: [] };
    const shown = files.slice(0, MAX_LIST).join('\n');
    const more = files.length > MAX_LIST ? `\n… and ${files.length - MAX_LIST} more; list a directory.` : '';
    return { output: shown + more, events: [] };
  },

  async read_file(env, args) {
    const { abs, rel } = await workspacePath(env.dir, args.path);
    const text = await readFile(abs, 'utf8');
    if (text.includes('\0')) return fail(`${rel} is a binary file.`);
    const lines = text.split('\n');
    const from = (args.offset ?? 1) - 1;
    let to = args.limit ? Math.min(lines.length, from + args.limit) : lines.length;
    let out = lines.slice(from, to).join('\n');
    if (out.length > MAX_READ) {
      // Cut at a line boundary and say where to go on.
      let size = 0;
      let n = from;
      while (n < to && size + (lines[n]?.length ?? 0) + 1 <= MAX_READ) size += (lines[n++]?.length ?? 0) + 1;
      to = Math.max(n, from + 1);
      out = lines.slice(from, to).join('\n');
    }
    const rest =
      to < lines.length
        ? `\n[lines ${from + 1}–${to} of ${lines.length}; read on with offset ${to + 1}]`
        : '';
    return { output: out + rest, events: [] };
  },

  async search(env, args) {
    const { rel } = await workspacePath(env.dir, args.path ?? '');
    const found = await runGit(
      ['grep', '-n', '-I', '--untracked', '-E', '-e', args.pattern, '--', rel || '.'],
      { cwd: env.dir, env: env.gitEnv },
    );
    if (found.code === 1) return { output: 'No matches.', events: [] };
    if (found.code !== 0) return fail(`search failed: ${found.stderr.trim()}`);
    return { output: truncateMiddle(found.stdout.toString('utf8'), MAX_READ), events: [] };
  },

  async write_file(env, args) {
    const { abs, rel } = await workspacePath(env.dir, args.path);
    if (!rel) return fail('Give a file path.');
    const existed = await stat(abs).then(
      (s) => s.isFile(),
      () => false,
    );
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, args.content);
    const bytes = Buffer.byteLength(args.content);
    return {
      output: `${existed ? 'Overwrote' : 'Created'} ${rel} (${bytes} bytes).`,
      events: [{ type: 'file', path: rel, action: 'write', bytes }],
    };
  },

  async edit_file(env, args) {
    const { abs, rel } = await workspacePath(env.dir, args.path);
    const text = await readFile(abs, 'utf8');
    const edited = editText(text, args.old_text, args.new_text);
    if (!edited.ok) return fail(`${rel}: ${edited.reason}`);
    await writeFile(abs, edited.text);
    const bytes = Buffer.byteLength(edited.text);
    return { output: `Edited ${rel}.`, events: [{ type: 'file', path: rel, action: 'write', bytes }] };
  },

  async run(env, args) {
    return runShell(env, args.command, (args.timeout_seconds ?? DEFAULT_TIMEOUT_S) * 1000);
  },

  async run_tests(env) {
    return runShell(env, env.testCommand, 15 * 60_000);
  },

  async finish(_env, args) {
    return { output: 'Finished.', events: [], finished: args.summary };
  },
};

async function runShell(env: ToolEnv, command: string, timeoutMs: number): Promise<ToolOutcome> {
  if (!env.runCommand) return fail('Running commands is not available in this session.');
  const started = Date.now();
  const ran = await env.runCommand(command, { timeoutMs, signal: env.signal });
  const output = truncateMiddle(ran.output, MAX_COMMAND_OUTPUT);
  const status = ran.timedOut
    ? `timed out after ${Math.round(timeoutMs / 1000)} s`
    : `exit code ${ran.exitCode ?? 'none (killed)'}`;
  return {
    output: `$ ${command}\n${output}${output.endsWith('\n') || !output ? '' : '\n'}[${status}]`,
    isError: ran.exitCode !== 0,
    events: [{ type: 'command', command, exitCode: ran.exitCode, durationMs: Date.now() - started, output }],
  };
}
