// npm run bench:prompt [runs] — starts a real `orchard up` (embedded PostgreSQL, no LLM provider:
// offline) and sends N landing prompts (default 5) one after another. Each is timed from
// `POST /api/prompts` to the `complete` event of its operation on the SSE stream, i.e. to a
// verified staging: Blueprint drafted, spec, plan, scaffold commit on a branch with a merge
// request, the pipeline green, the branch's preview deployed and every page checked in Chromium,
// then (a first build) merged to main, main's pipeline green, main's commit released on staging
// behind the health-gated swap and checked there again. Reports the median (target < 20 s) and
// where the time goes, per step.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSse } from '../src/platform/http/sse-reader.ts';
import { benchEnv } from './support/bench-env.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'orch_benchbenchbenchbenchbenchbench07';
const RUNS = Number(process.argv[2] ?? 5);
const PROMPTS = [
  'a photo gallery where visitors can like photos',
  'a recipe box with ingredients and ratings',
  'a book club where members review books',
  'a bug tracker for a small team',
  'a landing page for a coffee roastery with a newsletter signup',
];

async function api(base: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface Run {
  prompt: string;
  acceptedMs: number;
  totalMs: number;
  steps: Record<string, number>;
}

async function onePrompt(base: string, prompt: string): Promise<Run> {
  const t0 = performance.now();
  const started = await api(base, 'POST', '/api/prompts', { prompt });
  const acceptedMs = performance.now() - t0;
  const response = await fetch(`${base}${started.eventsUrl}`, {
    headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
  });
  let status: string | undefined;
  for await (const message of readSse(response.body!)) {
    const event = JSON.parse(message.data) as { type: string; data: { status?: string } };
    if (event.type === 'complete') {
      status = event.data.status;
      break;
    }
  }
  const totalMs = performance.now() - t0;
  const op = await api(base, 'GET', `/api/operations/${started.operationId}`);
  if (status !== 'succeeded')
    throw new Error(`"${prompt}": the build ${status}: ${JSON.stringify(op.error)}`);
  const steps: Record<string, number> = {};
  for (const s of op.steps as Array<{ key: string; startedAt: string | null; finishedAt: string | null }>) {
    if (s.startedAt && s.finishedAt) steps[s.key] = Date.parse(s.finishedAt) - Date.parse(s.startedAt);
  }
  return { prompt, acceptedMs, totalMs, steps };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-prompt-'));
// The embedded PostgreSQL (run as another user when Orchard runs as root) must traverse it.
await chmod(home, 0o711);
let orchard: ChildProcess | undefined;
try {
  orchard = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'orchard'), 'up', '--port', '0', '--home', path.join(home, 'orchard')],
    {
      cwd: ROOT,
      env: benchEnv(TOKEN),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    orchard!.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) resolve(m[1]!);
    });
    orchard!.once('exit', (code) => reject(new Error(`orchard exited ${code}: ${out}`)));
  });
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await onePrompt(base, PROMPTS[i % PROMPTS.length]!);
    runs.push(run);
    console.log(`run ${i + 1}: ${(run.totalMs / 1000).toFixed(1)} s  "${run.prompt}"`);
  }
  const f = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `\nOrchard prompt → verified staging benchmark (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}, offline)`,
  );
  console.log(
    `prompt → verified staging, median of ${RUNS}: ${f(median(runs.map((r) => r.totalMs)))} (min ${f(Math.min(...runs.map((r) => r.totalMs)))}, max ${f(Math.max(...runs.map((r) => r.totalMs)))}; target < 20 s)`,
  );
  console.log(
    `POST /api/prompts answered (202) in a median ${median(runs.map((r) => r.acceptedMs)).toFixed(0)} ms`,
  );
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.steps)))];
  console.log('median step durations:');
  for (const key of keys) console.log(`  ${key.padEnd(16)} ${f(median(runs.map((r) => r.steps[key] ?? 0)))}`);
} finally {
  if (orchard && orchard.exitCode === null) {
    await new Promise<void>((resolve) => {
      orchard!.once('exit', () => resolve());
      orchard!.kill('SIGTERM');
    });
  }
  await rm(home, { recursive: true, force: true });
}
