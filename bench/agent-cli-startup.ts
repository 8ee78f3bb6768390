// Part 3 of `npm run bench:agent`: how long each agent runtime takes from `run()` to its first model
// request arriving at the mock server (for CLI runtimes: installed, started in the sandbox, through
// Orchard's proxy). The measurement takes any list of runtimes; the CLI runtimes are found at run
// time, so this file also runs in a checkout that does not have them yet.
import type { AgentLlmEndpoint, AgentRuntime, AgentWorkspace } from '../src/modules/agents/agent-runtime.ts';
import { driveAgent } from '../src/modules/agents/drive-agent.ts';
import type { MockLlm } from '../src/modules/llm/index.ts';
import type { SandboxUser } from '../src/platform/sandbox/index.ts';
import { benchTask } from './agent-loop.ts';

/** A runtime to time: `prepare` (not timed) readies a fresh workspace, `run` starts a session in it. */
export interface StartingRuntime {
  name: string;
  prepare?(): Promise<void>;
  run(signal: AbortSignal): Promise<void>;
}

export interface StartupRow {
  name: string;
  /** Milliseconds from run() to the first request at the mock, one per timed round. */
  ms: number[];
  /** The first request's path (which endpoint the runtime called first). */
  firstPath?: string;
  error?: string;
}

const isModelRequest = (r: { method: string }) => r.method === 'POST';

/**
 * Times each runtime: one untimed warm-up round (a CLI installs itself on first use), then `rounds`
 * timed ones. The mock is polled every millisecond, so figures are ±1 ms. Once the first request
 * arrived the run is aborted: what it does after that is not this measurement.
 */
export async function timeToFirstRequest(
  runtimes: StartingRuntime[],
  mock: MockLlm,
  options: { rounds: number; timeoutMs: number; warmupTimeoutMs: number },
): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  for (const runtime of runtimes) {
    const row: StartupRow = { name: runtime.name, ms: [] };
    try {
      for (let round = 0; round <= options.rounds; round++) {
        const timeoutMs = round === 0 ? options.warmupTimeoutMs : options.timeoutMs;
        const { ms, path } = await oneStart(runtime, mock, timeoutMs);
        if (round > 0) row.ms.push(ms);
        row.firstPath = path;
      }
    } catch (error) {
      row.error = (error as Error).message.split('\n')[0];
    }
    rows.push(row);
  }
  return rows;
}

async function oneStart(runtime: StartingRuntime, mock: MockLlm, timeoutMs: number) {
  await runtime.prepare?.();
  mock.reset();
  const controller = new AbortController();
  let settled: { error?: unknown } | undefined;
  const t0 = performance.now();
  const running = runtime.run(controller.signal).then(
    () => {
      settled = {};
    },
    (error: unknown) => {
      settled = { error };
    },
  );
  try {
    for (;;) {
      const first = mock.requests().find(isModelRequest);
      if (first) return { ms: performance.now() - t0, path: first.path };
      if (settled)
        throw settled.error instanceof Error
          ? settled.error
          : new Error('the run ended without a model request');
      if (performance.now() - t0 > timeoutMs) throw new Error(`no model request within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    controller.abort(new Error('measured'));
    // A runtime that ignores its signal must not hold the benchmark.
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
}

type CreateCliRuntime = (name: string, options: Record<string, unknown>) => AgentRuntime;

/**
 * The CLI runtimes' factory, if this checkout has them. They are being built on another branch
 * (src/modules/agents/cli/); importing them by a computed specifier keeps this file type-checking
 * and running without them, and picks them up unchanged once they land. A module that exists but
 * fails to load is an error, not "not built".
 */
async function findCliModule(): Promise<{ create: CreateCliRuntime; names: string[] } | undefined> {
  for (const relative of ['../src/modules/agents/cli/index.ts', '../src/modules/agents/index.ts']) {
    const url = new URL(relative, import.meta.url).href;
    let module: Record<string, unknown>;
    try {
      module = await import(url);
    } catch (error) {
      const missing =
        (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
        (error as Error).message.includes(new URL(url).pathname);
      if (missing) continue;
      throw error;
    }
    if (typeof module.createCliRuntime !== 'function') continue;
    const names = Array.isArray(module.cliRuntimeNames)
      ? (module.cliRuntimeNames as string[])
      : ['cli:claude-code', 'cli:codex', 'cli:gemini'];
    return { create: module.createCliRuntime as CreateCliRuntime, names };
  }
  return undefined;
}

export interface CliSetup {
  /** Orchard's home (CLIs install under it). */
  home: string;
  /** The project's sandbox user (required when Orchard runs as root). */
  sandboxUser: SandboxUser;
  /** Orchard's proxy and a token for it, as a session hands them to its runtime. */
  llm: AgentLlmEndpoint;
  projectId: string;
  /** A fresh workspace for one run. */
  workspace(): Promise<AgentWorkspace>;
}

/** `{name, run}` for each CLI runtime of this checkout, or undefined when it has none. */
export async function cliRuntimes(setup: CliSetup): Promise<StartingRuntime[] | undefined> {
  const found = await findCliModule();
  if (!found) return undefined;
  const options = { home: setup.home, sandboxUser: setup.sandboxUser };
  return found.names.map((name) => agentStarting(name, () => found.create(name, options), setup));
}

/** Any AgentRuntime as a StartingRuntime: a fresh workspace per round, driven like a session drives it. */
export function agentStarting(
  name: string,
  create: () => AgentRuntime,
  setup: Pick<CliSetup, 'llm' | 'projectId' | 'workspace'>,
): StartingRuntime {
  let workspace: AgentWorkspace | undefined;
  return {
    name,
    prepare: async () => {
      workspace = await setup.workspace();
    },
    run: async (signal) => {
      await driveAgent(create(), benchTask(), workspace!, {
        signal,
        llm: setup.llm,
        projectId: setup.projectId,
      });
    },
  };
}
