// npm run bench:foundation — cold and warm start of `orchard up` (embedded PostgreSQL), idle RSS,
// GET /api/projects under 50 concurrent clients against a bare Fastify route measured in the
// same run on the same machine, and how long a refused login takes for a known and an unknown user.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './support/bench-env.ts';
import { load } from './support/load.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'orch_benchbenchbenchbenchbenchbench01';
const SECONDS = Number(process.argv[2] ?? 10);

function start(cmd: string[], pattern: RegExp): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, cmd, {
    cwd: ROOT,
    env: benchEnv(TOKEN, { ORCHARD_RATE_LIMIT_LOGIN_PER_MINUTE: '100000' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
    [path.join(ROOT, 'bench', 'support', 'bare-fastify.ts')].flatMap((f) => ['--import', 'tsx', f]),
    /listening on (http:\/\/\S+)/,
  );
  await load(`${bare.url}/api/projects`, { concurrency: 10, seconds: 2 });
  const peer = await load(`${bare.url}/api/projects`, { concurrency: 50, seconds: SECONDS });
  const ours = await load(`${warm.url}/api/projects`, { concurrency: 50, seconds: SECONDS, headers: auth });
  const logins = await loginTimings(warm.url, auth);
  await stop(bare.child);
  await stop(warm.child);

  const f = (n: number) => n.toFixed(1);
  console.log(`\nOrchard foundation benchmark (${os.cpus().length} cores, node ${process.version})`);
  console.log(`cold start (fresh home, initdb + migrations): ${f(cold.ms)} ms`);
  console.log(`warm start (existing home):                   ${f(warm.ms)} ms`);
  console.log(`idle RSS: orchard ${f(idleNode)} MB, embedded PostgreSQL ${f(idlePg)} MB`);
  console.log(`\nGET /api/projects, 50 concurrent clients, ${SECONDS} s each (latency ms):`);
  console.log('                        p50     p90     p99     req/s   errors');
  for (const [name, r] of [
    ['orchard (auth + db)', ours],
    ['bare fastify route', peer],
  ] as const) {
    console.log(
      `${name.padEnd(22)} ${f(r.p50).padStart(6)} ${f(r.p90).padStart(7)} ${f(r.p99).padStart(7)} ${f(r.rps).padStart(9)} ${String(r.errors).padStart(7)}`,
    );
  }
  console.log(
    `ratio orchard/bare: p50 ${(ours.p50 / peer.p50).toFixed(2)}×, p99 ${(ours.p99 / peer.p99).toFixed(2)}×, throughput ${(ours.rps / peer.rps).toFixed(2)}×`,
  );
  console.log(
    `\nrefused login, median of ${logins.rounds}: known user (wrong password) ${f(logins.known)} ms, unknown user ${f(logins.unknown)} ms`,
  );
} finally {
  await rm(home, { recursive: true, force: true });
}
