// npm run bench:llm [-- --no-db] — the LLM gateway against a bare AI SDK streamText call, same run,
// same model, same mock server (`orchard mock-llm`, a separate process): added time to first token,
// streaming throughput, and the time from a mid-stream connection reset to resumed text.
// With the database (default: an embedded PostgreSQL in a temp dir) the gateway also writes its
// llm_calls rows, as in production.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnthropic } from '@ai-sdk/anthropic';
import { streamText } from 'ai';
import { loadConfig } from '../src/config.ts';
import { createLlmGateway } from '../src/modules/llm/index.ts';
import type { ScenarioEntry } from '../src/modules/llm/mock/index.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool, type Db } from '../src/platform/db/pool.ts';
import { createLogger } from '../src/platform/log.ts';
import { createMetrics } from '../src/platform/metrics.ts';
import { percentile } from './support/load.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WITH_DB = !process.argv.includes('--no-db');
const MODEL = 'claude-sonnet-4-5';
const messages = [{ role: 'user' as const, content: 'Say something.' }];

function startMock(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'orchard'), 'mock-llm', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /mock-llm listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`mock-llm exited ${code}`)));
  });
}

const { child: mockProcess, url } = await startMock();
const setScenario = async (entries: ScenarioEntry[]) => {
  const res = await fetch(`${url}/_mock/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(entries),
  });
  if (!res.ok) throw new Error(`scenario refused: ${await res.text()}`);
};

let db: Db | undefined;
let stopDb = async () => {};
const pgDir = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-llm-'));
if (WITH_DB) {
  const server = await startEmbeddedPostgres({
    dir: path.join(pgDir, 'pg'),
    credentialsFile: path.join(pgDir, 'db.credentials.json'),
    logger: createLogger({ level: 'warn' }),
  });
  db = createPool(server.adminUrl, { max: 4 });
  await migrate(db);
  stopDb = async () => {
    await db?.end();
    await server.stop();
  };
}

const config = loadConfig({
  env: {},
  cwd: os.tmpdir(),
  flags: {
    llm: {
      providers: [
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: url,
          apiKey: 'sk-bench',
          models: [{ id: MODEL, input: 3, output: 15, prefill: true }],
        },
      ],
      aliases: { fast: [`anthropic/${MODEL}`] },
    },
  },
});
const gateway = createLlmGateway({
  config,
  logger: createLogger({ level: 'error' }),
  metrics: createMetrics({ defaultMetrics: false }),
  ...(db ? { db } : {}),
});
const bareModel = createAnthropic({ baseURL: `${url}/v1`, apiKey: 'sk-bench' })(MODEL);

type Runner = () => AsyncIterable<{ text?: string; marker?: 'break' }>;
const viaGateway: Runner = async function* () {
  for await (const e of gateway.stream({ model: `anthropic/${MODEL}`, messages, maxOutputTokens: 4096 })) {
    if (e.type === 'text-delta') yield { text: e.text };
    else if (e.type === 'usage' && e.estimated) yield { marker: 'break' };
  }
};
const viaBareSdk: Runner = async function* () {
  const result = streamText({ model: bareModel, messages, maxOutputTokens: 4096, maxRetries: 0 });
  for await (const part of result.fullStream) if (part.type === 'text-delta') yield { text: part.text };
};

/** Time to first chunk and total time of one call, plus the resume gap when it broke. */
async function measure(run: Runner) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let first: number | undefined;
  let chars = 0;
  let brokeAt: number | undefined;
  let resumeMs: number | undefined;
  for await (const e of run()) {
    const now = performance.now();
    if (e.marker === 'break') brokeAt = now;
    if (!e.text) continue;
    first ??= now;
    if (brokeAt !== undefined && resumeMs === undefined) resumeMs = now - brokeAt;
    chars += e.text.length;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    ttft: first! - t0,
    total: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    chars,
    resumeMs,
  };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99) };
};
const f = (n: number) => n.toFixed(3);

// Runs come in pairs, one of each, first one and then the other first: neighbours in time share
// the machine's load (2 shared cores), so per-pair differences and ratios are the fair comparison.
async function pairs(n: number) {
  const out: Array<{
    gateway: Awaited<ReturnType<typeof measure>>;
    bare: Awaited<ReturnType<typeof measure>>;
  }> = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      const gateway = await measure(viaGateway);
      out.push({ gateway, bare: await measure(viaBareSdk) });
    } else {
      const bare = await measure(viaBareSdk);
      out.push({ bare, gateway: await measure(viaGateway) });
    }
  }
  return out;
}

// 1. Time to first token: short answers.
await setScenario([{ reply: 'Hello there, this is a short answer.', chunkSize: 8 }]);
await pairs(50);
const ttftPairs = await pairs(400);
const tg = stats(ttftPairs.map((p) => p.gateway.ttft));
const tb = stats(ttftPairs.map((p) => p.bare.ttft));
const added = stats(ttftPairs.map((p) => p.gateway.ttft - p.bare.ttft));

// 2. Throughput: a 64 KB answer in 16-character chunks (4,096 chunks).
await setScenario([{ reply: 'lorem ipsum dolor sit amet, '.repeat(2341).slice(0, 65536), chunkSize: 16 }]);
await pairs(10);
const ratePairs = await pairs(60);
const rg = stats(ratePairs.map((p) => p.gateway.chars / (p.gateway.total / 1000))).p50;
const rb = stats(ratePairs.map((p) => p.bare.chars / (p.bare.total / 1000))).p50;
const ratios = ratePairs.map((p) => p.bare.total / p.gateway.total).sort((a, b) => a - b);
const ratio = percentile(ratios, 0.5);
const ratioIqr = [percentile(ratios, 0.25), percentile(ratios, 0.75)];
// This process's CPU time per answer (the mock runs in its own process): the client-side cost,
// which the load other processes put on the machine disturbs much less than wall time.
const cpuRatio =
  stats(ratePairs.map((p) => p.bare.cpuMs)).p50 / stats(ratePairs.map((p) => p.gateway.cpuMs)).p50;

// 3. Resume after a TCP reset mid-stream (the gateway only: the bare SDK call just fails).
const long = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
const resume: number[] = [];
for (let i = 0; i < 40; i++) {
  await setScenario([
    { reply: long, chunkSize: 16, fault: 'reset', after: 20 },
    { reply: long, chunkSize: 16 },
  ]);
  const m = await measure(viaGateway);
  if (m.chars !== long.length || m.resumeMs === undefined)
    throw new Error(`resume run ${i}: ${m.chars} of ${long.length} characters`);
  resume.push(m.resumeMs);
}
const rs = stats(resume);

await gateway.flush();
const rows = db
  ? ((await db.query('SELECT count(*)::int AS n FROM llm_calls')).rows[0] as { n: number }).n
  : 0;
const report = {
  records: WITH_DB ? `on (${rows} llm_calls rows)` : 'off',
  ttftMs: { gateway: tg, bare: tb, added, target: 'added p50 ≤ 1 ms (per-pair difference)' },
  throughputCharsPerSec: {
    gateway: Math.round(rg),
    bare: Math.round(rb),
    ratio,
    ratioIqr,
    cpuRatio,
    target: '≥ 0.95 (median per-pair ratio)',
  },
  resumeAfterResetMs: {
    ...rs,
    note: 'from the broken attempt ending (reset seen) to the first resumed character',
  },
};
process.stdout.write(
  [
    `LLM gateway vs bare AI SDK streamText (anthropic protocol, mock-llm process), records ${report.records}`,
    `  time to first token  bare p50 ${f(tb.p50)} ms p99 ${f(tb.p99)} ms | gateway p50 ${f(tg.p50)} ms p99 ${f(tg.p99)} ms | added (per pair) p50 ${f(added.p50)} ms p99 ${f(added.p99)} ms (target ≤ 1 ms p50)`,
    `  throughput           bare ${Math.round(rb)} chars/s | gateway ${Math.round(rg)} chars/s | ratio (per pair) p50 ${ratio.toFixed(3)} [p25 ${ratioIqr[0]!.toFixed(3)}, p75 ${ratioIqr[1]!.toFixed(3)}] (target ≥ 0.95); client CPU ratio ${cpuRatio.toFixed(3)}`,
    `  reset → resumed text p50 ${f(rs.p50)} ms p99 ${f(rs.p99)} ms`,
    '',
    JSON.stringify(report),
    '',
  ].join('\n'),
);

mockProcess.kill('SIGTERM');
await stopDb();
await rm(pgDir, { recursive: true, force: true });
