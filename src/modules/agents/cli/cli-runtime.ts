/**
 * The `cli:*` runtimes: an agent CLI (Claude Code, Codex, Gemini CLI) installed on first use,
 * run headless in the sandbox on the workspace with its JSON stream mapped to AgentEvents. The
 * CLI reaches nothing but the session's LLM endpoint (Orchard's metering proxy), with the
 * session's key, Orchard's own MCP server (`/mcp`, through the same bridge, with the same
 * delegated token) and the hosts of the project's `network.allow` through the egress proxy; the
 * key never appears in an event (it is masked wherever a CLI echoes it).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../../platform/log.ts';
import {
  type CgroupLimits,
  detectIsolation,
  handOverToSandbox,
  type Isolation,
  type SandboxResult,
  SandboxUnavailableError,
  type SandboxUser,
  unsandboxedRefusal,
} from '../../../platform/sandbox/index.ts';
import type { AgentContext, AgentEvent, AgentRuntime, AgentTask, AgentWorkspace } from '../agent-runtime.ts';
import { clip } from '../clip.ts';
import { describeAttempt } from '../egress/egress-proxy.ts';
import { openSandboxEgress, type SandboxEgress } from '../egress/sandbox-egress.ts';
import { underOrchard } from '../profile/profile-env.ts';
import { changedFiles, worktreeGitDirs } from './changed-files.ts';
import type { CliAdapter, CliInvocation, CliRuntimeName } from './cli-adapter.ts';
import { cliEnvironment, secretMasker } from './cli-environment.ts';
import { cliAdapter } from './cli-registry.ts';
import { ensureCliInstalled, findInstalledCli } from './install-cli.ts';
import { parseJsonLine, pumpItems } from './jsonl-reader.ts';
import { type LlmBridge, openLlmBridge } from './llm-bridge.ts';
import { reclaimWorkspace } from './reclaim-workspace.ts';
import { type CliOutput, runCliSandboxed } from './run-cli-sandboxed.ts';
import { INLINE_SPEC_LIMIT, taskPrompt } from './task-prompt.ts';

/** Per-run resource limits, applied when the machine offers cgroup v2 (as for pipeline jobs). */
const LIMITS: CgroupLimits = { memoryBytes: 4 * 1024 ** 3, cpus: 2, pids: 1024 };
/** How many of the CLI's last stderr lines a failure quotes. */
const STDERR_TAIL = 12;

export interface CliRuntimeOptions {
  /** Orchard's home: CLIs are installed under `agents/cli/`, runs keep private state under `work/cli-runs/`. */
  home: string;
  logger?: Pick<Logger, 'debug' | 'warn'>;
  /** The unprivileged user the CLI runs as; required when Orchard runs as root (the project's user). */
  sandboxUser?: SandboxUser;
  limits?: CgroupLimits;
  /** For tests: pretend the machine offers this isolation. */
  isolation?: Isolation;
  /** `network.allow` of the project's profile: the hosts the CLI's commands may reach (none when empty). */
  networkAllow?: readonly string[];
  /** The profile's plain env values (never secrets); the CLI's own variables win over them. */
  env?: Record<string, string>;
}

export function createCliRuntime(name: CliRuntimeName, options: CliRuntimeOptions): AgentRuntime {
  const cli = cliAdapter(name);
  return { name, run: (task, workspace, ctx) => runCli(cli, options, task, workspace, ctx) };
}

async function* runCli(
  cli: CliAdapter,
  options: CliRuntimeOptions,
  task: AgentTask,
  workspace: AgentWorkspace,
  ctx: AgentContext,
): AsyncGenerator<AgentEvent> {
  const { signal } = ctx;
  signal.throwIfAborted();
  if (!ctx.llm)
    throw new Error(
      `${cli.label} needs the session's LLM endpoint (Orchard's proxy), and this run was started without one.`,
    );
  // Fail closed before downloading anything: a CLI agent never runs unsandboxed.
  const isolation = options.isolation ?? detectIsolation();
  if (!isolation.bubblewrap) throw new SandboxUnavailableError(unsandboxedRefusal(isolation));
  if (process.getuid?.() === 0 && !options.sandboxUser)
    throw new SandboxUnavailableError(
      `Refusing to run ${cli.label} as root: no sandbox user was given (pass the project's sandbox user).`,
    );
  // The session's key and its MCP token (the same delegated token, unless a caller split them).
  const masks = [...new Set([ctx.llm.apiKey, ...(ctx.mcp ? [ctx.mcp.token] : [])])].map(secretMasker);
  const mask = <T>(value: T): T => masks.reduce((masked, one) => one(masked), value);
  const { home, logger } = options;

  let installDir = findInstalledCli(home, cli);
  if (!installDir) {
    yield { type: 'phase', phase: 'install', message: `Installing ${cli.label} ${cli.version} (first use)…` };
    installDir = yield* pumpItems<AgentEvent, string>((emit) =>
      ensureCliInstalled(home, cli, {
        signal,
        onLine: (line, stream) => emit({ type: 'log', line, stream }),
      }),
    );
  }

  const runId = `${cli.name}-${randomBytes(6).toString('hex')}`;
  const runDir = path.join(home, 'work', 'cli-runs', runId);
  const cliHome = path.join(runDir, 'home');
  const user = options.sandboxUser;
  // Our own stop switch, so leaving early (the caller stopped iterating) also kills the CLI.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let bridge: LlmBridge | undefined;
  let egress: SandboxEgress | undefined;
  // Attempts arrive while the CLI runs; they join its output stream as transcript lines.
  let reportNetwork: ((line: string) => void) | undefined;
  let running: Promise<SandboxResult> | undefined;
  let reclaimed = !user;
  try {
    await mkdir(cliHome, { recursive: true });
    let specFile: string | undefined;
    if (Buffer.byteLength(task.spec) > INLINE_SPEC_LIMIT) {
      specFile = path.join(runDir, 'task', 'spec.md');
      await mkdir(path.dirname(specFile), { recursive: true });
      await writeFile(specFile, task.spec);
    }
    bridge = await openLlmBridge(ctx.llm, runDir, ctx.mcp?.url);
    if (options.networkAllow?.length)
      egress = await openSandboxEgress({
        allow: options.networkAllow,
        dir: path.join(runDir, 'egress'),
        onAttempt: (attempt) => reportNetwork?.(describeAttempt(attempt)),
      });
    const invocation: CliInvocation = {
      prompt: taskPrompt(task, workspace, specFile),
      model: task.model,
      maxSteps: task.budget?.maxSteps,
      llm: bridge.inner,
      ...(ctx.mcp && bridge.innerMcp ? { mcp: { url: bridge.innerMcp, token: ctx.mcp.token } } : {}),
      home: cliHome,
      readDirs: specFile ? [path.dirname(specFile)] : [],
    };
    await cli.prepareHome?.(invocation);
    const gitDirs = await worktreeGitDirs(workspace);
    await handOverToSandbox(user, {
      own: [workspace.dir, runDir],
      reach: [installDir, ...gitDirs],
      root: home,
    });
    const { args, env } = cli.invocation(invocation);
    const environment = underOrchard(options.env ?? {}, cliEnvironment(cli, installDir, cliHome, env));

    yield { type: 'phase', phase: 'run', message: `Running ${cli.label} ${cli.version} in the sandbox` };
    const mapper = cli.createMapper({
      workspace: workspace.dir,
      onUnknown: (event) => logger?.debug({ cli: cli.name, event: event.type }, 'agent CLI event not mapped'),
    });
    const reported = new Set<string>();
    const stderr: string[] = [];
    const outputs = pumpItems<CliOutput, SandboxResult>((emit) => {
      reportNetwork = (line) => emit({ stream: 'network', line });
      running = runCliSandboxed(
        {
          command: [...cli.entry(installDir), ...args],
          env: environment,
          workspace: workspace.dir,
          runDir,
          readOnly: [installDir, ...gitDirs],
          hidden: [home],
          bridge: bridge!,
          ...(egress ? { egress } : {}),
          user,
          isolation: options.isolation,
          limits: options.limits ?? LIMITS,
          name: runId,
          signal: stop.signal,
        },
        emit,
      );
      return running;
    });
    let next = await outputs.next();
    for (; !next.done; next = await outputs.next()) {
      const { stream, line } = next.value;
      if (stream === 'network') {
        // The host is the sandbox's to choose: a command could spell the key into one.
        yield mask({ type: 'log', line, stream: 'stdout' });
        continue;
      }
      if (stream !== 'stdout') {
        if (!line.trim()) continue;
        if (stream === 'stderr') {
          stderr.push(line);
          if (stderr.length > STDERR_TAIL) stderr.shift();
        }
        yield mask({ type: 'log', line: stream === 'warning' ? `⚠ ${line}` : clip(line), stream: 'stderr' });
        continue;
      }
      logger?.debug({ cli: cli.name, line: mask(line) }, 'agent CLI output');
      const parsed = parseJsonLine(line);
      if (!parsed) {
        if (line.trim()) yield mask({ type: 'log', line: clip(line), stream: 'stdout' });
        continue;
      }
      for (const event of mapper.map(parsed)) {
        if (event.type === 'file') reported.add(event.path);
        yield mask(event);
      }
    }
    signal.throwIfAborted();
    const result = next.value;
    const end = mapper.finish();
    for (const event of end.events) yield mask(event);
    if (result.exitCode !== 0 || end.failure) {
      const why = end.failure ?? `${cli.label} exited with ${result.exitCode ?? result.signal}.`;
      const tail = result.exitCode !== 0 ? stderr.join('\n').trim() : '';
      throw new Error(mask(tail ? `${why}\nIts last lines on stderr:\n${tail}` : why));
    }

    if (!reclaimed) await reclaimWorkspace(workspace.dir);
    reclaimed = true;
    for (const change of await changedFiles(workspace, workspace.baseSha))
      if (!reported.has(change.path)) yield { type: 'file', ...change };
    const summary = end.summary ? mask(end.summary) : `${cli.label} finished.`;
    yield {
      type: 'result',
      summary,
      commitMessage: `${task.title}\n\n${clip(summary, 2000)}\n\nWritten by ${cli.label} ${cli.version} (Orchard agent).`,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    await (running as Promise<SandboxResult> | undefined)?.catch(() => undefined);
    await bridge?.close();
    await egress?.close();
    if (!reclaimed) await reclaimWorkspace(workspace.dir).catch(() => undefined);
    await rm(runDir, { recursive: true, force: true });
  }
}
