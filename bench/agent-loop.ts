// Part 1 of `npm run bench:agent`: Orchard's agent loop (createLlmAgentRuntime driven by driveAgent,
// through the LLM gateway) against a minimal AI SDK tool loop that sends the same requests and runs
// the same tool, turn by turn in the same run. Each side has its own instance of the mock server
// (a scenario answers in order, so one shared instance would hand one side's answers to the other).
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type LanguageModel, type ModelMessage, streamText, type ToolSet, tool } from 'ai';
import type { AgentEvent, AgentTask, AgentWorkspace } from '../src/modules/agents/agent-runtime.ts';
import { driveAgent } from '../src/modules/agents/drive-agent.ts';
import { systemPrompt, taskMessage } from '../src/modules/agents/llm-agent/agent-prompt.ts';
import { AGENT_TOOLS, isMutating } from '../src/modules/agents/llm-agent/agent-tools.ts';
import { createLlmAgentRuntime } from '../src/modules/agents/llm-agent/llm-agent-runtime.ts';
import { checkpointWorkspace } from '../src/modules/agents/sessions/checkpoint.ts';
import { toEntry } from '../src/modules/agents/sessions/session-entries.ts';
import { appendEntries, updateSession } from '../src/modules/agents/sessions/session-store.ts';
import type { LlmGateway, MockLlm, ScenarioEntry } from '../src/modules/llm/index.ts';
import { autopilotBlueprint } from '../src/modules/studio/index.ts';
import type { BlobStore } from '../src/platform/blobs/index.ts';
import type { Db } from '../src/platform/db/pool.ts';

const run = promisify(execFile);
const DATA_LINES = 400;
const WINDOW = 5;
const TEST_COMMAND = 'npm test';

/** CPU time (user + system) this process has used, in milliseconds. */
export const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/**
 * Per tool turn, in milliseconds; index i of every series is the same turn (the same conversation
 * length on both sides). The first turn of a run carries the run's start (the system prompt lists
 * the repository) and is kept apart in `firstTurn`.
 */
export interface LoopSamples {
  /** Orchard's loop: model call through the gateway, the tool, the runtime's and driveAgent's work. */
  orchard: number[];
  /** The minimal loop: the same model call with the AI SDK, the same file read or written. */
  peer: number[];
  /** This process's CPU time per turn (the mocks run in it too, alike for both sides). */
  orchardCpu: number[];
  peerCpu: number[];
  /** What a session adds on top per turn: transcript rows (one transaction per event). */
  transcript: number[];
  /** What a session adds per mutating turn: the workspace checkpoint (checkpointWorkspace). */
  checkpoint: number[];
  /** One per run. */
  firstTurn: { orchard: number[]; peer: number[] };
}

export type TurnKind = 'read' | 'write';

/** A small project's repository: 200 source files, a 400-line data file, AGENTS.md, one commit. */
export async function seedRepository(dir: string): Promise<string> {
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await run('git', ['init', '-q', '-b', 'main', dir]);
  for (let i = 0; i < 200; i++)
    await writeFile(
      path.join(dir, 'src', `module-${String(i).padStart(3, '0')}.ts`),
      `export const value${i} = ${i};\n`,
    );
  const data = Array.from({ length: DATA_LINES }, (_, i) => `${i + 1}: a line of recorded data, ${i * 7}`);
  await writeFile(path.join(dir, 'src', 'data.txt'), `${data.join('\n')}\n`);
  await writeFile(path.join(dir, 'AGENTS.md'), 'Keep functions small.\n');
  const identity = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test'];
  await run('git', ['add', '-A'], { cwd: dir });
  await run('git', [...identity, 'commit', '-q', '-m', 'seed'], { cwd: dir });
  return (await run('git', ['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
}

/** `turns` tool calls whose arguments change every turn (so the repeat guard never stops the run), then finish. */
export function loopScenario(kind: TurnKind, turns: number): ScenarioEntry[] {
  const calls: ScenarioEntry[] = Array.from({ length: turns }, (_, i) =>
    kind === 'read'
      ? {
          toolCall: {
            name: 'read_file',
            args: { path: 'src/data.txt', offset: 1 + ((i * WINDOW) % (DATA_LINES - WINDOW)), limit: WINDOW },
          },
        }
      : {
          toolCall: {
            name: 'write_file',
            args: {
              path: `notes/note-${i % 10}.md`,
              content: `# Note ${i}\n${'A line of the note.\n'.repeat(20)}`,
            },
          },
        },
  );
  return [...calls, { toolCall: { name: 'finish', args: { summary: 'Done.' } } }];
}

export function benchTask(): AgentTask {
  return {
    title: 'Read the data',
    spec: '',
    instructions: 'Go through src/data.txt and keep notes.',
    blueprint: autopilotBlueprint('a recipe box'),
    template: 'crud-app',
  };
}

/** The peer: a plain AI SDK tool loop with the same system prompt, messages and tools as Orchard's. */
async function createPeer(model: LanguageModel, dir: string, task: AgentTask) {
  const baseSha = (await run('git', ['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
  const system = await systemPrompt({ dir, baseSha }, task, TEST_COMMAND);
  const messages: ModelMessage[] = [{ role: 'user', content: taskMessage(task) }];
  const tools: ToolSet = Object.fromEntries(
    Object.entries(AGENT_TOOLS).map(([name, t]) => [
      name,
      tool({ description: t.description, inputSchema: t.inputSchema as never }),
    ]),
  );
  // The same work as Orchard's read_file and write_file and the same text back, without their checks.
  const execute = async (name: string, args: Record<string, unknown>) => {
    const file = path.join(dir, String(args.path));
    if (name === 'read_file') {
      const lines = (await readFile(file, 'utf8')).split('\n');
      const from = Number(args.offset) - 1;
      const to = Math.min(lines.length, from + Number(args.limit));
      const rest =
        to < lines.length
          ? `\n[lines ${from + 1}–${to} of ${lines.length}; read on with offset ${to + 1}]`
          : '';
      return lines.slice(from, to).join('\n') + rest;
    }
    const content = String(args.content);
    const existed = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return `${existed ? 'Overwrote' : 'Created'} ${args.path} (${Buffer.byteLength(content)} bytes).`;
  };
  return async function turn(): Promise<{ ms: number; cpu: number }> {
    const t0 = performance.now();
    const cpu0 = cpuMs();
    const result = streamText({ model, system, messages, tools, maxOutputTokens: 8_192, maxRetries: 0 });
    let text = '';
    const calls: { toolCallId: string; toolName: string; input: unknown }[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') text += part.text;
      else if (part.type === 'tool-call') calls.push(part);
      else if (part.type === 'error') throw part.error;
    }
    messages.push({
      role: 'assistant',
      content: [
        ...(text ? [{ type: 'text' as const, text }] : []),
        ...calls.map((c) => ({ type: 'tool-call' as const, ...c })),
      ],
    });
    const content = [];
    for (const call of calls) {
      const value = await execute(call.toolName, call.input as Record<string, unknown>);
      content.push({
        type: 'tool-result' as const,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: { type: 'text' as const, value },
      });
    }
    messages.push({ role: 'tool', content });
    return { ms: performance.now() - t0, cpu: cpuMs() - cpu0 };
  };
}

export interface LoopDeps {
  /** The gateway with alias `coder` on `orchardMock`. */
  gateway: LlmGateway;
  orchardMock: MockLlm;
  /** The AI SDK model on `peerMock` (same provider package and options as the gateway's). */
  peerModel: LanguageModel;
  peerMock: MockLlm;
  db: Db;
  blobs: BlobStore;
}

/**
 * One run of `turns` tool turns on each side, interleaved turn by turn in ABBA order (Orchard, peer,
 * peer, Orchard, …) so that load from other processes falls on both alike. What a session does per
 * event (transcript rows; a checkpoint after a mutating tool, as run-session.ts does) runs too, timed
 * apart and left out of Orchard's loop figure.
 */
export async function benchLoop(
  deps: LoopDeps,
  options: { kind: TurnKind; turns: number; orchardDir: string; peerDir: string; sessionId: string },
): Promise<LoopSamples> {
  const { kind, turns, sessionId } = options;
  const baseSha = (await run('git', ['rev-parse', 'HEAD'], { cwd: options.orchardDir })).stdout.trim();
  deps.orchardMock.setScenario(loopScenario(kind, turns));
  deps.peerMock.setScenario(loopScenario(kind, turns));
  const task = benchTask();
  const peer = await createPeer(deps.peerModel, options.peerDir, task);
  const workspace: AgentWorkspace = {
    dir: options.orchardDir,
    branch: 'orchard/bench',
    baseSha,
    projectSlug: 'bench',
  };
  const samples: LoopSamples = {
    orchard: [],
    peer: [],
    orchardCpu: [],
    peerCpu: [],
    transcript: [],
    checkpoint: [],
    firstTurn: { orchard: [], peer: [] },
  };
  let checkpoint = baseSha;
  let blobs = 0;
  let turnStart = 0;
  let turnStartCpu = 0;
  let turnSession = 0; // session work inside the current turn, left out of Orchard's figure
  let turnSessionCpu = 0;
  let turnTranscript = 0;
  let turnCheckpoint = 0;

  // What run-session.ts does for every event, minus forwarding it as an operation event.
  const recordInSession = async (event: AgentEvent) => {
    const t0 = performance.now();
    const cpu0 = cpuMs();
    const extra: Record<string, unknown> = {};
    if (event.type === 'tool-result' && isMutating(event.name)) {
      checkpoint = await checkpointWorkspace(workspace, sessionId, checkpoint);
      extra.checkpoint = checkpoint;
    }
    const t1 = performance.now();
    const entry = await toEntry(
      event,
      { blobs: deps.blobs, key: () => `agent-sessions/${sessionId}/1-1-${++blobs}.json` },
      extra,
    );
    await appendEntries(deps.db, sessionId, 1, [entry], async (tx) => {
      if (extra.checkpoint) await updateSession(tx, sessionId, { checkpoint_sha: checkpoint });
      if (event.type === 'usage')
        await updateSession(tx, sessionId, {
          steps: event.steps,
          input_tokens: event.inputTokens,
          output_tokens: event.outputTokens,
          cost_usd: event.costUsd,
        });
    });
    const t2 = performance.now();
    turnCheckpoint += t1 - t0;
    turnTranscript += t2 - t1;
    turnSession += t2 - t0;
    turnSessionCpu += cpuMs() - cpu0;
  };
  const peerTurn = async () => {
    const { ms, cpu } = await peer();
    samples.peer.push(ms);
    samples.peerCpu.push(cpu);
  };

  turnStart = performance.now();
  turnStartCpu = cpuMs();
  await driveAgent(createLlmAgentRuntime({ gateway: deps.gateway }), task, workspace, {
    signal: new AbortController().signal,
    sessionId,
    onEvent: async (event) => {
      const reached = performance.now();
      const reachedCpu = cpuMs();
      if (event.type !== 'tool-result' || event.name === 'finish') return recordInSession(event);
      // The end of turn i. The order is O0 P0 S0 P1 | O1 S1 | O2 P2 S2 P3 | O3 S3 …, where S is the
      // session's work after a tool result: each side runs half its turns right after the other
      // side's turn and half right after S, so what S leaves behind (git's writes) falls on both.
      const i = samples.orchard.length;
      samples.orchard.push(reached - turnStart - turnSession);
      samples.orchardCpu.push(reachedCpu - turnStartCpu - turnSessionCpu);
      if (i % 2 === 0) await peerTurn();
      await recordInSession(event);
      samples.transcript.push(turnTranscript);
      samples.checkpoint.push(turnCheckpoint);
      if (i % 2 === 0 && i + 1 < turns) await peerTurn();
      turnSession = 0;
      turnSessionCpu = 0;
      turnTranscript = 0;
      turnCheckpoint = 0;
      turnStart = performance.now();
      turnStartCpu = cpuMs();
    },
  });
  if (samples.orchard.length !== turns || samples.peer.length !== turns)
    throw new Error(
      `expected ${turns} turns on each side, got ${samples.orchard.length} (Orchard) and ${samples.peer.length} (peer)`,
    );
  samples.firstTurn = { orchard: samples.orchard.splice(0, 1), peer: samples.peer.splice(0, 1) };
  for (const series of [samples.orchardCpu, samples.peerCpu, samples.transcript, samples.checkpoint])
    series.splice(0, 1);
  return samples;
}

/** Several runs' samples as one. */
export function mergeLoopSamples(runs: LoopSamples[]): LoopSamples {
  const all = (pick: (s: LoopSamples) => number[]) => runs.flatMap(pick);
  return {
    orchard: all((s) => s.orchard),
    peer: all((s) => s.peer),
    orchardCpu: all((s) => s.orchardCpu),
    peerCpu: all((s) => s.peerCpu),
    transcript: all((s) => s.transcript),
    checkpoint: all((s) => s.checkpoint),
    firstTurn: { orchard: all((s) => s.firstTurn.orchard), peer: all((s) => s.firstTurn.peer) },
  };
}
