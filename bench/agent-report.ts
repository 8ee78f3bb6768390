// The table `npm run bench:agent` prints: figures, the per-pair difference against the peer, the
// targets and whether each is met; then a JSON line with every summary.
import os from 'node:os';
import type { StartupRow } from './agent-cli-startup.ts';
import type { LoopSamples } from './agent-loop.ts';
import type { ProxySamples } from './agent-proxy.ts';
import { percentile } from './support/load.ts';

export const TARGET = { loopMs: 5, proxyMs: 1, startupMs: 2_000 };

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p95: percentile(s, 0.95), n: s.length };
};
/** Element by element: sample i of each series ran next to each other. */
const diff = (a: number[], b: number[]) => a.map((x, i) => x - b[i]!);
const sum = (...series: number[][]) => series[0]!.map((_, i) => series.reduce((n, s) => n + s[i]!, 0));

function loopSummary(s: LoopSamples) {
  const added = diff(s.orchard, s.peer);
  return {
    orchard: stats(s.orchard),
    peer: stats(s.peer),
    added: stats(added),
    addedCpu: stats(diff(s.orchardCpu, s.peerCpu)),
    transcript: stats(s.transcript),
    checkpoint: stats(s.checkpoint),
    /** Loop + transcript rows + checkpoint, turn by turn: what a session's turn adds. */
    session: stats(sum(added, s.transcript, s.checkpoint)),
    /** A run's first turn, which also builds the system prompt (one per run). */
    firstTurnAdded: stats(diff(s.firstTurn.orchard, s.firstTurn.peer)),
  };
}

function pairSummary(o: { proxy: number[]; direct: number[] }, cpu?: { proxy: number[]; direct: number[] }) {
  return {
    proxy: stats(o.proxy),
    direct: stats(o.direct),
    added: stats(diff(o.proxy, o.direct)),
    ...(cpu ? { addedCpu: stats(diff(cpu.proxy, cpu.direct)) } : {}),
  };
}

export function agentReport(r: {
  reads: LoopSamples;
  writes: LoopSamples;
  proxy: ProxySamples;
  startups: StartupRow[];
  clisBuilt: boolean;
  /** Turns per agent run (the conversation grows to this length). */
  runTurns: number;
  dbKind: string;
  calls: number;
}): string {
  const f = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(2) : '');
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const read = loopSummary(r.reads);
  const write = loopSummary(r.writes);
  const plain = pairSummary(r.proxy.plain, r.proxy.plainCpu);
  const streamed = pairSummary(r.proxy.stream, r.proxy.streamCpu);
  const firstToken = pairSummary(r.proxy.firstToken);
  const loopTarget = `≤ ${TARGET.loopMs} p50`;
  const proxyTarget = `≤ ${TARGET.proxyMs} p50`;
  const sub = (name: string, x: { p50: number; p95: number }, target = '') => [
    name,
    '',
    '',
    f(x.p50),
    f(x.p95),
    '',
    target,
    '',
  ];

  const rows: string[][] = [
    ...(
      [
        ['read_file', read],
        ['write_file', write],
      ] as const
    ).map(([tool, l]) => [
      `agent loop, ${tool} turn (n=${l.added.n})`,
      f(l.orchard.p50),
      f(l.peer.p50),
      f(l.added.p50),
      f(l.added.p95),
      f(l.addedCpu.p50),
      loopTarget,
      met(l.added.p50 <= TARGET.loopMs),
    ]),
    sub('session read_file turn: loop + transcript rows', read.session, 'info'),
    sub('  of which transcript rows', read.transcript),
    sub('session write_file turn: + transcript + checkpoint', write.session, 'info'),
    sub('  of which transcript rows', write.transcript),
    sub('  of which checkpointWorkspace', write.checkpoint),
    ...(
      [
        ['proxy, plain request', plain],
        ['proxy, streamed, whole answer', streamed],
        ['proxy, streamed, first token', firstToken],
      ] as const
    ).map(([name, p]) => [
      `${name} (n=${p.added.n})`,
      f(p.proxy.p50),
      f(p.direct.p50),
      f(p.added.p50),
      f(p.added.p95),
      'addedCpu' in p ? f(p.addedCpu?.p50) : '',
      proxyTarget,
      met(p.added.p50 <= TARGET.proxyMs),
    ]),
    ...r.startups.map((s) => {
      const reference = s.name.includes('reference');
      const st = stats(s.ms);
      return [
        `start → first request: ${s.name}`,
        s.error ? `failed: ${clip(s.error, 70)}` : `${f(st.p50)} (n=${st.n})`,
        '',
        '',
        '',
        '',
        reference ? 'info' : `< ${TARGET.startupMs}`,
        reference || s.error ? '' : met(st.p50 < TARGET.startupMs),
      ];
    }),
  ];
  const header = [
    'ms',
    'Orchard p50',
    'peer p50',
    'added p50',
    'added p95',
    'added CPU p50',
    'target',
    'met',
  ];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `Orchard around an agent (${os.cpus().length} cores, node ${process.version}, ${r.dbKind}, ${r.calls} llm_calls rows recorded)`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Agent loop: createLlmAgentRuntime + driveAgent through the LLM gateway vs a bare AI SDK streamText loop with the',
    'same system prompt, tools and messages doing the same file read/write, each on its own mock instance. "added" is',
    `turn i minus turn i (ABBA order) over runs of ${r.runTurns} turns, each run's first turn left out: it added`,
    `${f(read.firstTurnAdded.p50)} ms p50 (${read.firstTurnAdded.n} read runs) and ${f(write.firstTurnAdded.p50)} ms (${write.firstTurnAdded.n} write runs); its system prompt lists the repository.`,
    `A session also writes each event as a transcript row (a transaction each, ~3 a turn) and, after a mutating tool,`,
    `checkpoints the workspace (checkpointWorkspace: 4 git processes). So a session's write_file turn adds`,
    `${f(write.session.p50)} ms p50 (checkpoint ${f(write.checkpoint.p50)}), ${write.session.p50 <= TARGET.loopMs ? 'within' : 'over'} the ${TARGET.loopMs} ms the loop target names; its read_file turn adds ${f(read.session.p50)}.`,
    'Not included: forwarding events to the operation log.',
    'Proxy: official @anthropic-ai/sdk → /llm/anthropic/v1/messages (token check, budget gate, metering, llm_calls',
    'row) vs the same SDK → the mock; pairs alternate which side goes first. "added CPU" is this process\'s CPU',
    'time per turn or request (Orchard, mocks and clients all run in it): the added work, less disturbed by load.',
    r.clisBuilt
      ? 'CLI runtimes: from run() to the first POST at the mock (through the proxy), after an untimed warm-up (install).'
      : 'CLI runtimes: not built in this checkout',
    '',
    JSON.stringify({
      loop: { read, write },
      proxy: { plain, streamed, firstToken },
      startups: r.startups,
      targets: TARGET,
    }),
    '',
  ].join('\n');
}
