import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverToSandbox, type SandboxUser } from '../../../platform/sandbox/index.ts';
import { runSetupCommands, type SetupCommandEvent } from './run-setup-commands.ts';
import { type SetupSandbox, sandboxBaseEnv } from './setup-sandbox.ts';

const user: SandboxUser | undefined =
  process.getuid?.() === 0 ? { uid: 1_500_000_202, gid: 1_500_000_202 } : undefined;
const SECRET = 'correct-horse-battery-staple';

let root: string;
let box: SetupSandbox;
let scratch: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'orchard-setup-run-'));
  await chmod(root, 0o711);
  const workspace = path.join(root, 'work', 'ws');
  scratch = path.join(root, 'work', 'ws.setup');
  await mkdir(workspace, { recursive: true });
  await mkdir(path.join(scratch, 'home'), { recursive: true });
  await mkdir(path.join(scratch, 'tmp'), { recursive: true });
  await handOverToSandbox(user, { own: [workspace, scratch], root });
  box = {
    workspace,
    repo: workspace,
    home: root,
    ...(user ? { user } : {}),
    allowUnsandboxed: false,
  };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function setup(commands: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const events: SetupCommandEvent[] = [];
  const failed = await runSetupCommands({
    box,
    commands,
    env: { ...env, ...sandboxBaseEnv(scratch) },
    secretValues: [SECRET],
    writable: [path.join(scratch, 'home'), path.join(scratch, 'tmp')],
    signal: new AbortController().signal,
    onLine: (line) => lines.push(line),
    onCommand: async (event) => {
      events.push(event);
    },
  });
  return { failed, lines, events };
}

describe('runSetupCommands', () => {
  it('masks a secret in every form, also when it arrives split across chunks', async () => {
    const { failed, lines, events } = await setup(
      [
        // Half the value, a pause long enough for a separate chunk, the other half.
        'printf %s "$FIRST"; sleep 0.2; printf "%s\\n" "$SECOND"',
        'echo "b64: $(printf %s "$TOKEN" | base64)"; printf %s "$TOKEN" | sha256sum',
      ],
      { TOKEN: SECRET, FIRST: SECRET.slice(0, 11), SECOND: SECRET.slice(11) },
    );
    expect(failed).toBeUndefined();
    expect(events.map((e) => e.output)).toEqual([
      '***\n',
      `b64: ***\n${createHash('sha256').update(SECRET).digest('hex')}  -\n`,
    ]);
    expect(events.map((e) => e.exitCode)).toEqual([0, 0]);
    expect(JSON.stringify({ lines, events })).not.toContain(SECRET);
    expect(JSON.stringify({ lines, events })).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(lines).toContain('***');
  });

  it('stops at the first failing command and says why with the masked tail of its output', async () => {
    const { failed, events } = await setup(
      ['echo one', 'echo "using $TOKEN"; echo "npm ERR! 404" >&2; exit 7', 'echo never'],
      { TOKEN: SECRET },
    );
    expect(events.map((e) => e.command)).toEqual([
      'echo one',
      'echo "using $TOKEN"; echo "npm ERR! 404" >&2; exit 7',
    ]);
    expect(failed).toBe(
      'setup command `echo "using $TOKEN"; echo "npm ERR! 404" >&2; exit 7` exited 7: using ***\nnpm ERR! 404',
    );
  });

  it.skipIf(!user)('says why when the sandbox refuses to run a command', async () => {
    // As root without a sandbox user, the sandbox refuses rather than run setup as root.
    const failed = await runSetupCommands({
      box: { ...box, user: undefined },
      commands: ['echo hi'],
      env: sandboxBaseEnv(scratch),
      secretValues: [],
      writable: [],
      signal: new AbortController().signal,
      onLine: () => undefined,
      onCommand: async () => undefined,
    });
    expect(failed).toMatch(
      /^setup command `echo hi` could not run: Refusing to run a sandboxed command as root/,
    );
  });

  it('gives a command its time and no more', async () => {
    const lines: string[] = [];
    const failed = await runSetupCommands({
      box,
      commands: ['echo started; exec sleep 30'],
      env: sandboxBaseEnv(scratch),
      secretValues: [],
      writable: [path.join(scratch, 'home'), path.join(scratch, 'tmp')],
      timeoutMs: 300,
      signal: new AbortController().signal,
      onLine: (line) => lines.push(line),
      onCommand: async () => undefined,
    });
    expect(failed).toBe('setup command `echo started; exec sleep 30` timed out after 0.3 s: started');
  });
});
