// npm run bench:git — clone and push of a repository with 2,000 files through Orchard's smart HTTP
// (auth, permission checks, push handling) against `git http-backend` (CGI) on the same machine,
// in the same run. Prints the median of several rounds and the time ratios (target ≤ 1.2×).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './support/bench-env.ts';
import { startHttpBackend } from './support/git-http-backend.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'orch_benchgitbenchgitbenchgitbench01';
const ROUNDS = Number(process.argv[2] ?? 5);
const FILES = 2000;

function startOrchard(home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'orchard'), 'up', '--port', '0', '--home', home],
    {
      cwd: ROOT,
      env: benchEnv(TOKEN, { ORCHARD_WORKERS: 'false' }),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
    });
    child.once('exit', (code) => reject(new Error(`orchard exited ${code}: ${out}`)));
  });
}

const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() };
/** Runs git without blocking the event loop (the http-backend CGI host lives in this process). */
function git(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args[0]} exited ${code}`)),
    );
  });
}
async function timed(args: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  await git(args, cwd);
  return performance.now() - t0;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const work = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-git-'));
// Its own temporary directory: the embedded PostgreSQL (another user) must be able to enter it.
const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-git-home-'));
const backendRoot = path.join(work, 'backend');
let orchard: ChildProcess | undefined;
try {
  // The source repository: 2,000 files of 1–4 KiB in 50 directories, one commit.
  const src = path.join(work, 'src');
  await mkdir(src, { recursive: true });
  await git(['init', '-q', '-b', 'main'], src);
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(src, `dir${i % 50}`);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, `file${i}.txt`),
      `${randomBytes(512 + (i % 4) * 512).toString('base64')}\n`,
    );
  }
  await git(['add', '-A'], src);
  await git(
    [
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.test',
      'commit',
      '-q',
      '-m',
      'two thousand files',
    ],
    src,
  );

  const started = await startOrchard(home);
  orchard = started.child;
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const backend = await startHttpBackend(backendRoot);
  await mkdir(backendRoot, { recursive: true });

  const times = {
    pushOrchard: [] as number[],
    pushBackend: [] as number[],
    cloneOrchard: [] as number[],
    cloneBackend: [] as number[],
  };
  for (let round = 0; round <= ROUNDS; round++) {
    // Each round pushes into fresh, empty repositories on both servers, then clones them back.
    const name = `bench-${round}`;
    const r = await fetch(`${started.url}/api/projects`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name, slug: name }),
    });
    if (r.status !== 201) throw new Error(`create project: ${r.status} ${await r.text()}`);
    const bare = path.join(backendRoot, `${name}.git`);
    await git(['init', '-q', '--bare', '-b', 'main', bare], work);
    await git(['config', 'http.receivepack', 'true'], bare);

    const orchardUrl = `${started.url.replace('http://', `http://git:${TOKEN}@`)}/git/${name}.git`;
    const backendUrl = `${backend.url}/${name}.git`;
    // Alternate which server goes first so neither always gets the warmer page cache.
    const order = round % 2 ? (['backend', 'orchard'] as const) : (['orchard', 'backend'] as const);
    const sample: Record<string, number> = {};
    for (const who of order)
      sample[`push-${who}`] = await timed(
        ['push', '-q', who === 'orchard' ? orchardUrl : backendUrl, 'main'],
        src,
      );
    for (const who of order) {
      const dest = path.join(work, `clone-${who}-${round}`);
      sample[`clone-${who}`] = await timed(
        ['clone', '-q', who === 'orchard' ? orchardUrl : backendUrl, dest],
        work,
      );
      await rm(dest, { recursive: true, force: true });
    }
    if (round === 0) continue; // warm-up round
    times.pushOrchard.push(sample['push-orchard']!);
    times.pushBackend.push(sample['push-backend']!);
    times.cloneOrchard.push(sample['clone-orchard']!);
    times.cloneBackend.push(sample['clone-backend']!);
  }
  backend.server.close();

  const f = (n: number) => n.toFixed(0).padStart(8);
  console.log(
    `\nOrchard git smart HTTP vs git http-backend (${FILES} files, ${ROUNDS} rounds, median; ${os.cpus().length} cores, ${execFileSync('git', ['--version']).toString().trim()})`,
  );
  // The minimum is the least disturbed run (other processes share the machine); the median is typical.
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('              orchard ms  http-backend ms   ratio   (min: orchard  backend  ratio)');
  const min = (xs: number[]) => Math.min(...xs);
  for (const [label, ours, peer] of [
    ['push', times.pushOrchard, times.pushBackend],
    ['clone', times.cloneOrchard, times.cloneBackend],
  ] as const) {
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(
      `${label.padEnd(12)} ${f(median(ours))}  ${f(median(peer))}         ${ratio(median(ours), median(peer))}   ${f(min(ours))} ${f(min(peer))}  ${ratio(min(ours), min(peer))}`,
    );
  }
} finally {
  // Orchard stops its embedded PostgreSQL on SIGTERM; wait for that before removing its home.
  if (orchard && orchard.exitCode === null) {
    const exited = new Promise((r) => orchard!.once('exit', r));
    orchard.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  await rm(work, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}
