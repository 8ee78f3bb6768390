// npm run bench:foundation [seconds] [rounds] — cold and warm start of `orchard up` (embedded
// PostgreSQL), idle RSS, and GET /api/projects under 50 concurrent clients against two peers
// measured in the same run on the same machine: a minimal Fastify + `pg` handler doing the same
// work (the fair peer) and a bare Fastify route (no auth, no database). The three are measured in
// alternating rounds so that load from other processes on the machine falls on all of them alike;
// medians and ranges are printed.
// Also how long a refused login takes for a known and an unknown user.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { createLogger } from '../src/platform/log.ts';
import { benchEnv } from './support/bench-env.ts';
import { type LoadResult, load } from './support/load.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'orch_benchbenchbenchbenchbenchbench01';
const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 7);

/** Every process the benchmark started, so that a failure part-way stops them too. */
const started = new Set<ChildProcess>();

function start(cmd: string[], pattern: RegExp): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, cmd, {
    cwd: ROOT,
    env: benchEnv(TOKEN, { ORCHARD_RATE_LIMIT_LOGIN_PER_MINUTE: '100000' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = out.match(pattern);
      if (m) resolve({ child, url: m[1]!, ms: performance.now() - t0 });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/**
 * Median time of a refused login for a user that exists (wrong password) and one that does not,
 * alternating so load on the machine hits both alike. They should match: the time must not tell.
 */
async function loginTimings(url: string, auth: Record<string, string>, rounds = 25) {
  const user = { username: 'timing', email: 'timing@example.test', password: 'a long enough password' };
  await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, role: 'member' }),
  });
  const refuse = async (login: string) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password: 'not the password' }),
    });
    await res.arrayBuffer();
    if (res.status !== 401) throw new Error(`login answered ${res.status}`);
    return performance.now() - t0;
  };
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < rounds; i++) {
    known.push(await refuse(user.username));
    unknown.push(await refuse(`nobody-${i}`));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { known: median(known), unknown: median(unknown), rounds };
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function rssMb(pid: number) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1]) / 1024;
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}

function postgresRssMb(home: string) {
  const pid = Number(readFileSync(path.join(home, 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = rssMb(pid);
  for (const dir of readFileSync('/proc/' + pid + '/task/' + pid + '/children', 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)) {
    try {
      total += rssMb(Number(dir));
    } catch {}
  }
  return total;
}

/** The running `orchard up`'s own database, borrowed (left running) through the same code Orchard uses. */
async function embeddedUrl(home: string) {
  const server = await startEmbeddedPostgres({
    dir: path.join(home, 'pg'),
    credentialsFile: path.join(home, 'db.credentials.json'),
    logger: createLogger({ level: 'silent' }),
  });
  return server.urlFor(server.credentials.owner, 'orchard');
}

const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-'));
const up = [path.join(ROOT, 'bin', 'orchard'), 'up', '--port', '0', '--home', home];
const running = /running at (http:\/\/\S+)/;
try {
  const cold = await start(up, running);
  await stop(cold.child);
  const warm = await start(up, running);
  const auth = { authorization: `Bearer ${TOKEN}` };
  for (let i = 0; i < 20; i++) {
    await fetch(`${warm.url}/api/projects`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Project ${i}` }),
    });
  }
  await load(`${warm.url}/api/projects`, { concurrency: 10, seconds: 2, headers: auth }); // warm-up
  await new Promise((r) => setTimeout(r, 3000)); // let the process settle before reading idle RSS
  const idleNode = rssMb(warm.child.pid!);
  const idlePg = postgresRssMb(home);

  const bare = await start(
    ['--import', 'tsx', path.join(ROOT, 'bench', 'support', 'bare-fastify.ts')],
    /listening on (http:\/\/\S+)/,
  );
  const pgPeer = await start(
    ['--import', 'tsx', path.join(ROOT, 'bench', 'support', 'pg-fastify.ts'), await embeddedUrl(home)],
    /listening on (http:\/\/\S+)/,
  );
  const target = (name: string, url: string, child: ChildProcess) => ({
    name,
    url: `${url}/api/projects`,
    pid: child.pid!,
    results: [] as LoadResult[],
    cpuPerRequest: [] as number[],
  });
  const targets = [
    target('orchard (auth + db)', warm.url, warm.child),
    target('fastify + pg peer', pgPeer.url, pgPeer.child),
    target('bare fastify route', bare.url, bare.child),
  ];
  const body = async (url: string) => (await fetch(url, { headers: auth })).json();
  const [ourBody, peerBody] = [await body(targets[0]!.url), await body(targets[1]!.url)];
  if (JSON.stringify(ourBody) !== JSON.stringify(peerBody))
    throw new Error(
      `the fastify + pg peer does not answer what Orchard answers:\n${JSON.stringify(ourBody).slice(0, 600)}\n${JSON.stringify(peerBody).slice(0, 600)}`,
    );
  for (const target of targets) await load(target.url, { concurrency: 10, seconds: 2, headers: auth });
  // Short alternating rounds, each starting with another target, so that the load other processes
  // put on the machine falls on all three alike; the ratio is taken round by round.
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(round + i) % targets.length]!;
      const cpuBefore = cpuMs(t.pid);
      const result = await load(t.url, { concurrency: 50, seconds: SECONDS, headers: auth });
      t.cpuPerRequest.push((cpuMs(t.pid) - cpuBefore) / result.requests);
      t.results.push(result);
    }
  }
  const logins = await loginTimings(warm.url, auth);
  await stop(pgPeer.child);
  await stop(bare.child);
  await stop(warm.child);

  const f = (n: number) => n.toFixed(1);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = ({ results, cpuPerRequest }: (typeof targets)[number]) => ({
    cpu: median(cpuPerRequest),
    rps: median(results.map((r) => r.rps)),
    rpsMin: Math.min(...results.map((r) => r.rps)),
    rpsMax: Math.max(...results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p90: median(results.map((r) => r.p90)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
  });
  const [ours, peer, bareRoute] = targets.map(summary) as [
    ReturnType<typeof summary>,
    ReturnType<typeof summary>,
    ReturnType<typeof summary>,
  ];
  console.log(`\nOrchard foundation benchmark (${os.cpus().length} cores, node ${process.version})`);
  console.log(`cold start (fresh home, initdb + migrations): ${f(cold.ms)} ms`);
  console.log(`warm start (existing home):                   ${f(warm.ms)} ms`);
  console.log(`idle RSS: orchard ${f(idleNode)} MB, embedded PostgreSQL ${f(idlePg)} MB`);
  console.log(
    `\nGET /api/projects (20 projects), 50 concurrent clients, ${ROUNDS} alternating rounds of ${SECONDS} s (medians; latency ms; server CPU ms per request):`,
  );
  console.log('                        p50     p90     p99     req/s   (range)              cpu/req  errors');
  for (const [i, r] of [ours, peer, bareRoute].entries()) {
    const range = `(${f(r.rpsMin)}–${f(r.rpsMax)})`;
    console.log(
      `${targets[i]!.name.padEnd(22)} ${f(r.p50).padStart(6)} ${f(r.p90).padStart(7)} ${f(r.p99).padStart(7)} ${f(r.rps).padStart(9)}   ${range.padEnd(20)} ${r.cpu.toFixed(3).padStart(7)} ${String(r.errors).padStart(7)}`,
    );
  }
  const ratio = (name: string, other: ReturnType<typeof summary>, index: number) => {
    const rounds = targets[0]!.results.map((r, i) => r.rps / targets[index]!.results[i]!.rps);
    console.log(
      `ratio orchard/${name}: throughput ${median(rounds).toFixed(2)}× (median of per-round ratios; range ${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}), p50 ${(ours.p50 / other.p50).toFixed(2)}×, p99 ${(ours.p99 / other.p99).toFixed(2)}×, server CPU per request ${(ours.cpu / other.cpu).toFixed(2)}×`,
    );
  };
  ratio('fastify+pg peer', peer, 1);
  ratio('bare route', bareRoute, 2);
  console.log(
    `\nrefused login, median of ${logins.rounds}: known user (wrong password) ${f(logins.known)} ms, unknown user ${f(logins.unknown)} ms`,
  );
} finally {
  for (const child of [...started].reverse()) await stop(child);
  await rm(home, { recursive: true, force: true });
}
