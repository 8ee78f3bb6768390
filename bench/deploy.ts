// npm run bench:deploy [redeploys] — starts a real `orchard up` (embedded PostgreSQL), pushes a
// small node app over git smart HTTP, deploys it to staging, then redeploys it N times (default 5)
// while a steady 20 requests/s go through the host-based proxy. Reports requests failed during the
// redeploys (target 0) and deploy times (first deploy: extract + build + start + health; redeploys:
// the health-gated swap of a new commit).
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './support/bench-env.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'orch_benchbenchbenchbenchbenchbench02';
const REDEPLOYS = Number(process.argv[2] ?? 5);
const RATE = 20;

const SERVER = `const http = require('node:http');
const version = require('node:fs').readFileSync(__dirname + '/VERSION', 'utf8').trim();
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  setTimeout(() => res.end('hello from ' + version), 20);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`;

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@b',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@b',
      },
    });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')}: ${err}`)),
    );
  });
}

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

async function deployStaging(base: string): Promise<number> {
  const t0 = performance.now();
  const { operationId } = await api(base, 'POST', '/api/projects/bench/deploy', {
    env: 'staging',
    ref: 'main',
  });
  for (;;) {
    const op = await api(base, 'GET', `/api/operations/${operationId}`);
    if (op.status === 'succeeded') return performance.now() - t0;
    if (op.status === 'failed' || op.status === 'cancelled')
      throw new Error(`deploy ${op.status}: ${JSON.stringify(op.error)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-deploy-'));
// The embedded PostgreSQL (run as another user when Orchard runs as root) must traverse it.
await chmod(home, 0o711);
const work = path.join(home, 'work');
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
  const port = Number(new URL(base).port);
  await api(base, 'POST', '/api/projects', { name: 'bench', slug: 'bench' });

  await mkdir(path.join(work, '.orchard'), { recursive: true });
  await writeFile(path.join(work, 'server.js'), SERVER);
  await writeFile(path.join(work, '.orchard', 'app.yml'), 'start: node server.js\nhealthPath: /health\n');
  const remote = `http://git:${TOKEN}@127.0.0.1:${port}/git/bench.git`;
  const commit = async (version: string) => {
    await writeFile(path.join(work, 'VERSION'), `${version}\n`);
    await run('git', ['add', '-A'], work);
    await run('git', ['commit', '-q', '-m', version], work);
    await run('git', ['push', '-q', remote, 'HEAD:main'], work);
  };
  await run('git', ['init', '-q', '-b', 'main'], work);
  await commit('v0');
  const first = await deployStaging(base);

  // Steady load: one request every 50 ms through the proxy, on a keep-alive agent like a browser's.
  const agent = new Agent({ keepAlive: true });
  const host = `staging--bench.localhost:${port}`;
  let sent = 0;
  let failed = 0;
  const failures: string[] = [];
  const inflight = new Set<Promise<void>>();
  let loading = true;
  const one = () =>
    new Promise<void>((resolve) => {
      sent++;
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) {
            failed++;
            failures.push(`HTTP ${res.statusCode}`);
          }
          resolve();
        });
      });
      req.on('error', (e) => {
        failed++;
        failures.push(e.message);
        resolve();
      });
      req.end();
    });
  const loader = (async () => {
    const start = performance.now();
    for (let i = 0; loading; i++) {
      const p = one();
      inflight.add(p);
      void p.then(() => inflight.delete(p));
      const next = start + ((i + 1) * 1000) / RATE;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  })();

  const times: number[] = [];
  const loadStart = performance.now();
  for (let i = 1; i <= REDEPLOYS; i++) {
    await commit(`v${i}`);
    times.push(await deployStaging(base));
  }
  loading = false;
  await loader;
  await Promise.all(inflight);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  agent.destroy();

  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const f = (n: number) => n.toFixed(0);
  console.log(`\nOrchard deploy benchmark (${os.cpus().length} cores, node ${process.version})`);
  console.log(`first deploy (extract + start + health + route):  ${f(first)} ms`);
  console.log(
    `redeploys of a new commit (${REDEPLOYS}): median ${f(median)} ms, min ${f(sorted[0]!)} ms, max ${f(sorted.at(-1)!)} ms`,
  );
  console.log(
    `steady load during the redeploys: ${sent} requests in ${loadSeconds.toFixed(1)} s (${(sent / loadSeconds).toFixed(1)}/s)`,
  );
  console.log(
    `requests failed during the redeploys: ${failed} (target 0)${failures.length ? ` — ${[...new Set(failures)].join(', ')}` : ''}`,
  );
  if (failed) process.exitCode = 1;
} finally {
  if (orchard && orchard.exitCode === null) {
    await new Promise<void>((resolve) => {
      orchard!.once('exit', () => resolve());
      orchard!.kill('SIGTERM');
    });
  }
  await rm(home, { recursive: true, force: true });
}
