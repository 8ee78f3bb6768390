import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PATH,
  detectIsolation,
  handOverToSandbox,
  runSandboxed,
  SandboxUnavailableError,
  type SandboxUser,
  sandboxStatus,
} from './index.ts';

const isolation = detectIsolation();
const hasBwrap = isolation.bubblewrap;
const asRoot = process.getuid?.() === 0;
// Two projects' users, as Orchard would derive them (sandbox.uidBase + n).
const userA: SandboxUser = { uid: 1_500_000_101, gid: 1_500_000_101 };
const userB: SandboxUser = { uid: 1_500_000_102, gid: 1_500_000_102 };

let root: string;
let home: string;
let workspace: string;
let loopback: Server;
let loopbackPort: number;
/** A server on the host's own non-loopback address, when it has one: what "the internet" is here. */
let outside: { server: Server; address: string; port: number } | undefined;

function listen(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end('reachable'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'orchard-sandbox-'));
  // The folder above the home must let the sandbox's user pass, as for the embedded database.
  await chmod(root, 0o711);
  // An Orchard home: a master key and another project's data the job must never see.
  home = path.join(root, 'home');
  await mkdir(path.join(home, 'data', 'other', 'staging'), { recursive: true });
  await writeFile(path.join(home, 'master.key'), 'k', { mode: 0o600 });
  await writeFile(path.join(home, 'data', 'other', 'staging', 'private.txt'), 'other project');
  workspace = path.join(home, 'work', 'ws');
  await mkdir(workspace, { recursive: true });
  await handOverToSandbox(userA, { own: [workspace], root: home });
  await handOverToSandbox(userB, { own: [path.join(home, 'data', 'other', 'staging')], root: home });
  ({ server: loopback, port: loopbackPort } = await listen('127.0.0.1'));
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (external) outside = { ...(await listen(external.address)), address: external.address };
});

afterAll(async () => {
  loopback?.close();
  outside?.server.close();
  await rm(root, { recursive: true, force: true });
});

async function run(script: string, extra: Partial<Parameters<typeof runSandboxed>[0]> = {}) {
  let out = '';
  const warnings: string[] = [];
  const result = await runSandboxed({
    command: ['sh', '-c', script],
    workspace,
    env: { PATH: DEFAULT_PATH, HOME: workspace },
    user: userA,
    hidden: [home],
    onStdout: (c) => {
      out += c.toString();
    },
    onStderr: (c) => {
      out += c.toString();
    },
    onWarning: (w) => warnings.push(w),
    ...extra,
  });
  return { ...result, out, warnings };
}

const fetchScript = (host: string, p: number) =>
  `node -e "fetch('http://${host}:${p}/').then(r=>r.text()).then(t=>console.log('got',t),e=>{console.log('blocked');process.exit(3)})"`;

describe('sandbox', () => {
  it('runs a command in the workspace with only the given environment and reports its exit code', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    const r = await run('pwd; echo "secret=${ORCHARD_MASTER_KEY:-unset}"; echo made > out.txt; exit 4');
    expect(r.exitCode).toBe(4);
    expect(r.out).toContain(workspace);
    expect(r.out).toContain('secret=unset');
    expect(await readFile(path.join(workspace, 'out.txt'), 'utf8')).toBe('made\n');
  });

  it('kills the whole process group on timeout and on cancellation', async () => {
    const timed = await run('sleep 30 & sleep 30; echo never', { timeoutMs: 300 });
    expect(timed.timedOut).toBe(true);
    expect(timed.out).not.toContain('never');
    const controller = new AbortController();
    const cancelled = await run('echo started; sleep 30', {
      signal: controller.signal,
      onStdout: () => controller.abort(),
    });
    expect(cancelled.cancelled).toBe(true);
  });

  it('refuses to run without bubblewrap, saying how to install it, unless explicitly allowed', async () => {
    const none = { ...isolation, bubblewrap: false, problem: 'bubblewrap (bwrap) is not installed' };
    await expect(run('echo ran > ran.txt', { isolation: none })).rejects.toThrow(SandboxUnavailableError);
    await expect(run('true', { isolation: none })).rejects.toThrow(/apt-get install bubblewrap/);
    expect(existsSync(path.join(workspace, 'ran.txt'))).toBe(false);

    const allowed = await run('echo plain', {
      isolation: none,
      allowUnsandboxed: true,
      limits: { pids: 64 },
    });
    expect(allowed.isolation).toBe('none');
    expect(allowed.exitCode).toBe(0);
    expect(allowed.warnings.join(' ')).toMatch(/Running without a sandbox/);
  });

  it('says in /ready terms when jobs are refused or run unprotected', () => {
    const none = { ...isolation, bubblewrap: false, problem: 'bubblewrap (bwrap) is not installed' };
    expect(sandboxStatus({ allowUnsandboxed: false }, none)).toEqual({
      ok: false,
      warning: expect.stringMatching(/refused: bubblewrap \(bwrap\) is not installed\. Install bubblewrap/),
    });
    expect(sandboxStatus({ allowUnsandboxed: true }, none)).toEqual({
      ok: true,
      warning: expect.stringMatching(/WITHOUT a sandbox/),
    });
    const noSlirp = { ...isolation, bubblewrap: true, slirp4netns: false };
    expect(sandboxStatus({ allowUnsandboxed: false }, noSlirp).warning).toMatch(
      /apt-get install slirp4netns/,
    );
  });

  it.runIf(asRoot)('never runs as root', async () => {
    await expect(run('true', { user: undefined })).rejects.toThrow(/as root/);
  });

  it.runIf(hasBwrap)(
    'holds against the escapes a root job used: it is an unprivileged user with no capabilities',
    async () => {
      const r = await run(
        [
          'id -u',
          'grep CapEff /proc/self/status',
          'umount -l /tmp && echo ESCAPE-umount',
          'mount -o remount,rw,bind / && echo ESCAPE-remount',
          'mount -t tmpfs x /mnt && echo ESCAPE-mount',
          'cat /etc/shadow && echo ESCAPE-shadow',
          'unshare -Ur true && echo ESCAPE-userns',
          // Only the path down to the workspace exists: nothing else of the home is there.
          `ls -A ${home} | grep -vx work && echo ESCAPE-home`,
          `cat ${path.join(home, 'master.key')} && echo ESCAPE-key`,
          `ls ${path.join(home, 'data', 'other')} && echo ESCAPE-other-project`,
          'ls /root && echo ESCAPE-root-home',
          `echo x > ${path.join(os.homedir(), `.orchard-sandbox-probe-${process.pid}`)} && echo ESCAPE-write`,
          'touch /usr/probe && echo ESCAPE-usr',
          'echo inside > /tmp/probe && echo tmp-ok',
          'echo done',
        ].join('; '),
      );
      expect(r.isolation).toBe('bubblewrap');
      expect(r.out).toContain('done');
      expect(r.out).not.toMatch(/ESCAPE-/);
      expect(r.out).toContain('tmp-ok');
      expect(r.out).toMatch(/CapEff:\s+0+\n/);
      const uid = Number(r.out.split('\n')[0]);
      expect(uid).not.toBe(0);
      if (asRoot) expect(uid).toBe(userA.uid);
      expect(existsSync(path.join(os.homedir(), `.orchard-sandbox-probe-${process.pid}`))).toBe(false);
    },
  );

  it.runIf(hasBwrap)('keeps files it writes as its own user, and its workspace private', async () => {
    await run('echo mine > mine.txt');
    const info = await stat(path.join(workspace, 'mine.txt'));
    if (asRoot) {
      expect(info.uid).toBe(userA.uid);
      expect((await stat(workspace)).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(home, 'data', 'other', 'staging'))).uid).toBe(userB.uid);
    }
  });

  it.runIf(hasBwrap)('has no network unless asked', async () => {
    const off = await run(fetchScript('127.0.0.1', loopbackPort));
    expect(off.out).toContain('blocked');
    expect(off.exitCode).toBe(3);
  });

  it.runIf(hasBwrap && isolation.slirp4netns)(
    'with a private network, reaches outside but not this machine’s own services',
    async () => {
      const viaLoopback = await run(fetchScript('127.0.0.1', loopbackPort), { network: 'private' });
      expect(viaLoopback.out).toContain('blocked');
      // slirp4netns's alias for the host's loopback is turned off.
      const viaGateway = await run(fetchScript('10.0.2.2', loopbackPort), { network: 'private' });
      expect(viaGateway.out).toContain('blocked');
      if (outside) {
        const out = await run(fetchScript(outside.address, outside.port), { network: 'private' });
        expect(out.out).toContain('got reachable');
      }
    },
  );

  it.runIf(hasBwrap)('shares the host network only when asked to', async () => {
    const on = await run(fetchScript('127.0.0.1', loopbackPort), { network: 'host' });
    expect(on.out).toContain('got reachable');
  });

  it.runIf(hasBwrap && isolation.slirp4netns)(
    'exposes an app’s port to the host through its private network',
    async () => {
      const probe = await listen('127.0.0.1');
      const port = probe.port;
      await new Promise((r) => probe.server.close(r));
      const controller = new AbortController();
      let answer = '';
      const app = run(
        // It listens on loopback only, as many apps do: the host still reaches it.
        `node -e "require('http').createServer((q,r)=>r.end('app '+process.getuid())).listen(${port},'127.0.0.1',()=>console.log('listening'))"`,
        {
          network: 'private',
          exposePort: port,
          signal: controller.signal,
          // The forward exists before the command starts: once the app listens, the host reaches it.
          onStdout: () => {
            void fetch(`http://127.0.0.1:${port}/`)
              .then((r) => r.text())
              .then(
                (text) => (answer = text),
                (error: Error) => (answer = `failed: ${error.message}`),
              )
              .finally(() => controller.abort());
          },
        },
      );
      const result = await app;
      expect(result.cancelled).toBe(true);
      expect(answer).toBe(`app ${asRoot ? userA.uid : process.getuid?.()}`);
    },
  );
});
