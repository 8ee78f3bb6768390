/**
 * A sandboxed command behind the egress proxy, for real: bubblewrap with no network of its own,
 * the relay inside, the proxy outside. The npm registry is the one outside host this test relies
 * on; the host's own loopback service stands for Orchard's API and database.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PATH,
  detectIsolation,
  handOverToSandbox,
  type SandboxUser,
} from '../../../platform/sandbox/index.ts';
import { registryReachable } from '../cli/cli-test-kit.test-support.ts';
import { type CommandNetwork, runWithEgress } from './run-with-egress.ts';

const sandboxed = detectIsolation().bubblewrap;
const user: SandboxUser = { uid: 1_500_000_201, gid: 1_500_000_201 };

let root: string;
let home: string;
let workspace: string;
let scratchHome: string;
let hostService: Server;
let hostPort: number;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'orchard-egress-run-'));
  await chmod(root, 0o711);
  home = path.join(root, 'home');
  workspace = path.join(home, 'work', 'ws');
  scratchHome = path.join(home, 'work', 'h');
  await mkdir(workspace, { recursive: true });
  await mkdir(scratchHome, { recursive: true });
  await handOverToSandbox(user, { own: [workspace, scratchHome], root: home });
  hostService = createServer((_req, res) => res.end('host service reached'));
  await new Promise<void>((resolve) => hostService.listen(0, '127.0.0.1', resolve));
  hostPort = (hostService.address() as { port: number }).port;
});

afterAll(async () => {
  hostService?.close();
  await rm(root, { recursive: true, force: true });
});

async function run(script: string, network: CommandNetwork | undefined) {
  let out = '';
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
  };
  const result = await runWithEgress(network, {
    command: ['sh', '-c', script],
    workspace,
    env: { PATH: DEFAULT_PATH, HOME: scratchHome, npm_config_update_notifier: 'false' },
    network: 'none',
    user,
    writable: [scratchHome],
    hidden: [home],
    timeoutMs: 120_000,
    onStdout: collect,
    onStderr: collect,
  });
  return { ...result, out };
}

function network(allow: string[]) {
  const recorded: string[] = [];
  return {
    recorded,
    network: {
      allow,
      home,
      record: async (lines: string[]) => {
        recorded.push(...lines);
      },
    },
  };
}

describe.skipIf(!sandboxed)('a sandboxed command behind the egress proxy', () => {
  it('reaches the npm registry it is allowed, is refused anything else with the reason, and each attempt is recorded', async (context) => {
    if (!(await registryReachable()))
      return context.skip('registry.npmjs.org is not reachable from this machine (npm ping failed)');
    const { recorded, network: net } = network(['registry.npmjs.org']);
    const r = await run(
      [
        'npm view is-number version; echo "npm=$?"',
        'curl -sS https://example.com/; echo "curl-https=$?"',
        'curl -sS http://example.com/; echo "curl-http=$?"',
        `curl -sS --noproxy '' http://127.0.0.1:${hostPort}/; echo "curl-host=$?"`,
        `node -e "fetch('http://127.0.0.1:${hostPort}').then(() => console.log('host reached'), () => console.log('host not reached'))"`,
      ].join('\n'),
      net,
    );
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+\nnpm=0$/m);
    expect(r.out).toContain('CONNECT tunnel failed, response 403');
    expect(r.out).toMatch(/curl-https=56/);
    expect(r.out).toContain(
      'Orchard refused the connection to example.com:80: it is not in network.allow. To let the agent reach it, add it to network.allow in .orchard/agent.yml',
    );
    expect(r.out).toContain(
      `Orchard refused the connection to 127.0.0.1:${hostPort}: it is 127.0.0.1, a loopback address. Agents never reach this machine or private networks`,
    );
    expect(r.out).toContain('host not reached');
    expect(r.out).not.toContain('host service reached');
    expect(r.note).toContain(
      `Orchard refused network access to example.com:443 (not in network.allow), example.com:80 (not in network.allow), 127.0.0.1:${hostPort} (is 127.0.0.1, a loopback address).`,
    );
    expect(recorded).toContain('network: CONNECT registry.npmjs.org:443 allowed');
    expect(recorded).toEqual(
      expect.arrayContaining([
        'network: CONNECT example.com:443 refused: not in network.allow',
        'network: GET example.com:80 refused: not in network.allow',
        `network: GET 127.0.0.1:${hostPort} refused: is 127.0.0.1, a loopback address`,
      ]),
    );
  }, 150_000);

  it('with nothing allowed, runs exactly as before: no proxy variables, no network', async () => {
    const { recorded, network: net } = network([]);
    const r = await run(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
      'echo "proxy=${HTTPS_PROXY:-none}"; curl -sS https://registry.npmjs.org/ > /dev/null; echo "curl=$?"',
      net,
    );
    expect(r.out).toContain('proxy=none');
    expect(r.out).toMatch(/curl=6\b/);
    expect(r.note).toBe('');
    expect(recorded).toEqual([]);
  }, 60_000);
});
