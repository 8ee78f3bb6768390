import { chmod, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, memberWithProject, runPipeline } from './support/orchard-pipelines.ts';
import { type OrchardProcess, startOrchardProcess } from './support/spawn-orchard.ts';
import { until } from './support/until.ts';

/**
 * Fail closed, end to end: an `orchard up` on a machine without bubblewrap refuses to run a
 * pipeline job (the job fails saying how to install it, and nothing of it runs) and says so in
 * its warnings; only `sandbox.allowUnsandboxed` runs jobs as plain processes, and says that too.
 */
const BOOTSTRAP = `orch_${'s'.repeat(40)}`;
let root: string;
const running: OrchardProcess[] = [];

afterAll(async () => {
  for (const p of running) {
    if (p.child.exitCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  if (root) await rm(root, { recursive: true, force: true });
});

/** A PATH with every program of this one but bwrap. */
async function pathWithoutBubblewrap(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const seen = new Set<string>();
  for (const from of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const names = await readdir(from).catch(() => [] as string[]);
    for (const name of names) {
      if (name === 'bwrap' || seen.has(name)) continue;
      seen.add(name);
      await symlink(path.join(from, name), path.join(dir, name)).catch(() => undefined);
    }
  }
  return dir;
}

type Warning = { id: string; status: string; summary: string };

async function warningFor(base: string, id: string): Promise<Warning> {
  return until(
    async () => {
      const list = (await call(base, BOOTSTRAP, 'GET', '/api/system/warnings')).json.items as Warning[];
      return list?.find((w) => w.id === id);
    },
    60_000,
    `the ${id} warning`,
  );
}

const PIPELINE = `jobs:
  build:
    steps:
      - name: hello
        run: echo "ran as $(id -u)"
`;

describe('without bubblewrap', () => {
  it('refuses jobs unless sandbox.allowUnsandboxed, and warns either way', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'orchard-no-bwrap-'));
    // The home's parent must let the database's and the jobs' users through.
    await chmod(root, 0o711);
    const home = path.join(root, 'home');
    const env = {
      PATH: await pathWithoutBubblewrap(path.join(root, 'bin')),
      ORCHARD_BOOTSTRAP_TOKEN: BOOTSTRAP,
    };

    const refusing = await startOrchardProcess(['up', '--port', '0', '--home', home], env, 120_000);
    running.push(refusing);
    let base = refusing.url.replace('localhost', '127.0.0.1');
    const member = await memberWithProject(base, home, BOOTSTRAP, { user: 'dev', project: 'app' });
    const refused = await runPipeline(base, member, 'app', PIPELINE, 'build');
    expect(refused.pipeline.status).toBe('failed');
    expect(refused.log).toMatch(/Refusing to run without a sandbox: bubblewrap \(bwrap\) is not installed/);
    expect(refused.log).toContain('apt-get install bubblewrap');
    expect(refused.log).not.toContain('ran as');
    expect(await warningFor(base, 'bubblewrap')).toMatchObject({ status: 'fail' });

    refusing.child.kill('SIGTERM');
    await refusing.exited;
    const allowing = await startOrchardProcess(
      ['up', '--port', '0', '--home', home],
      { ...env, ORCHARD_SANDBOX_ALLOW_UNSANDBOXED: 'true' },
      120_000,
    );
    running.push(allowing);
    base = allowing.url.replace('localhost', '127.0.0.1');
    const allowed = await runPipeline(base, member, 'app', PIPELINE, 'build', 'again');
    expect(allowed.pipeline.status).toBe('success');
    expect(allowed.log).toContain('Running without a sandbox (sandbox.allowUnsandboxed is on');
    expect(allowed.log).toMatch(/ran as \d+/);
    // Still never as root.
    if (process.getuid?.() === 0) expect(allowed.log).not.toContain('ran as 0\n');
    const warning = await warningFor(base, 'bubblewrap');
    expect(warning).toMatchObject({ status: 'warn' });
    expect(warning.summary).toMatch(/WITHOUT a sandbox/);
  }, 240_000);
});
