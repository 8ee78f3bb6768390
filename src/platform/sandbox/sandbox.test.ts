import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATH, detectIsolation, runSandboxed } from './index.ts';

let root: string;
let workspace: string;
let server: Server;
let port: number;
const hasBwrap = detectIsolation().bubblewrap;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'orchard-sandbox-'));
  workspace = path.join(root, 'ws');
  await mkdir(workspace);
  server = createServer((_req, res) => res.end('reachable'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server?.close();
  await rm(root, { recursive: true, force: true });
});

async function run(script: string, extra: Partial<Parameters<typeof runSandboxed>[0]> = {}) {
  let out = '';
  const warnings: string[] = [];
  const result = await runSandboxed({
    command: ['sh', '-c', script],
    workspace,
    env: { PATH: DEFAULT_PATH, HOME: workspace },
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

const fetchScript = (p: number) =>
  `node -e "fetch('http://127.0.0.1:${p}/').then(r=>r.text()).then(t=>console.log('got',t),e=>{console.log('blocked');process.exit(3)})"`;

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
    const pending = run('echo started; sleep 30', {
      signal: controller.signal,
      onStdout: () => controller.abort(),
    });
    const cancelled = await pending;
    expect(cancelled.cancelled).toBe(true);
  });

  it('warns when it cannot isolate', async () => {
    const r = await run('echo plain', {
      isolation: { bubblewrap: false, cgroupParent: null },
      limits: { pids: 64 },
    });
    expect(r.isolation).toBe('none');
    expect(r.exitCode).toBe(0);
    expect(r.warnings.join(' ')).toMatch(/bubblewrap is not available/);
    expect(r.warnings.join(' ')).toMatch(/cgroup v2 limits are not available/);
  });

  it.runIf(hasBwrap)(
    'with bubblewrap, cannot write outside the workspace and hides the given paths',
    async () => {
      // Outside /tmp: the sandbox's /tmp is its own tmpfs, so a write there would never reach the host anyway.
      const outside = path.join(os.homedir(), `.orchard-sandbox-probe-${process.pid}`);
      const hidden = path.join(root, 'hidden');
      await mkdir(hidden);
      await import('node:fs/promises').then((fs) => fs.writeFile(path.join(hidden, 'master.key'), 'k'));
      const r = await run(
        `echo x > ${outside} || echo refused-outside; echo y > /tmp/inside && echo tmp-ok; ls ${hidden} | wc -l; touch ok-inside`,
        { hidden: [hidden] },
      );
      expect(r.isolation).toBe('bubblewrap');
      expect(r.out).toContain('refused-outside');
      expect(r.out).toContain('tmp-ok');
      expect(r.out).toMatch(/\b0\b/); // the hidden directory looks empty
      expect(existsSync(outside)).toBe(false);
      await rm(outside, { force: true });
      expect(existsSync(path.join(workspace, 'ok-inside'))).toBe(true);
    },
  );

  it.runIf(hasBwrap)('with bubblewrap, has no network unless asked', async () => {
    const off = await run(fetchScript(port));
    expect(off.out).toContain('blocked');
    expect(off.exitCode).toBe(3);
    const on = await run(fetchScript(port), { network: true });
    expect(on.out).toContain('got reachable');
  });
});
