import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { detectIsolation } from '../../../platform/sandbox/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { registryReachable } from '../cli/cli-test-kit.test-support.ts';
import { coderOnMock } from './coder-on-mock.test-support.ts';
import { untilSessionEnded } from './session-ended.test-support.ts';

/**
 * `network.allow` end to end: an llm-agent session's `run` commands reach the hosts the project's
 * `.orchard/agent.yml` lists (the npm registry, the one outside host these tests rely on) through
 * the egress proxy, are refused every other host with the reason, and each attempt is in the
 * transcript. Without the list, a command has no network at all.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
let token: string;
let base: string;
let dir: string;
const slug = 'fetcher';
const sandboxed = detectIsolation().bubblewrap;

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({ llm: coderOnMock(mock) });
  base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  h = bearer(token);
  const created = await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: h,
    payload: { name: slug, slug },
  });
  expect(created.statusCode).toBe(201);
  dir = await localRepo();
  await commitFiles(dir, { 'README.md': '# Fetcher\n' }, 'Start');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: h, payload });

/** Runs a session whose model runs `commands` one by one, then finishes; returns its transcript. */
async function sessionRunning(commands: string[]) {
  mock.setScenario([
    ...commands.map((command) => ({ toolCall: { name: 'run', args: { command } } })),
    { toolCall: { name: 'finish', args: { summary: 'Looked around.' } } },
  ]);
  const started = await api('POST', `/api/projects/${slug}/agent-sessions`, { title: 'Fetch' });
  expect(started.statusCode, started.body).toBe(202);
  const id = started.json().id;
  const done = await untilSessionEnded(t, h, id, 120_000);
  expect(done.status, JSON.stringify(done)).toBe('succeeded');
  const entries: { kind: string; data: Record<string, unknown> }[] = (
    await api('GET', `/api/agent-sessions/${id}/events?limit=500`)
  ).json().items;
  const outputs = entries
    .filter((e) => e.kind === 'tool-result' && e.data.name === 'run')
    .map((e) => String(e.data.output));
  const logs = entries.filter((e) => e.kind === 'log').map((e) => String(e.data.line));
  const setup = entries.filter((e) => e.kind === 'command' && e.data.setup).map((e) => e.data);
  return { outputs, logs, setup };
}

describe.skipIf(!sandboxed)('network.allow in agent sessions', () => {
  it("without a list, the agent's commands have no network at all", async () => {
    const { outputs, logs } = await sessionRunning([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
      'echo "proxy=${HTTPS_PROXY:-none}"; curl -sS https://registry.npmjs.org/ > /dev/null',
    ]);
    expect(outputs[0]).toContain('proxy=none');
    expect(outputs[0]).toContain('Could not resolve host');
    expect(logs.filter((l) => l.startsWith('network:'))).toEqual([]);
  }, 150_000);

  it('reaches the listed npm registry, is refused another host with the reason, and records each attempt', async (context) => {
    if (!(await registryReachable()))
      return context.skip('registry.npmjs.org is not reachable from this machine (npm ping failed)');
    await commitFiles(
      dir,
      {
        '.orchard/agent.yml':
          'network:\n  allow: [registry.npmjs.org]\nsetup:\n  - npm view is-odd version > .setup-saw-registry\n',
      },
      'Agent profile',
    );
    await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
    const { outputs, logs, setup } = await sessionRunning([
      'cat .setup-saw-registry',
      'npm view is-number version',
      'curl -sS https://example.com/',
    ]);
    // Setup had the same network as the agent's commands: it reached the registry.
    expect(setup).toMatchObject([{ command: 'npm view is-odd version > .setup-saw-registry', exitCode: 0 }]);
    expect(outputs[0]).toMatch(/^\d+\.\d+\.\d+$/m);
    expect(outputs[1]).toMatch(/^\d+\.\d+\.\d+$/m);
    expect(outputs[1]).toContain('exit code 0');
    expect(outputs[2]).toContain('CONNECT tunnel failed, response 403');
    expect(outputs[2]).toContain(
      'Orchard refused network access to example.com:443 (not in network.allow). Only the hosts in network.allow of .orchard/agent.yml',
    );
    expect(logs).toContain('network: CONNECT registry.npmjs.org:443 allowed');
    expect(logs).toContain('network: CONNECT example.com:443 refused: not in network.allow');
    const { rows } = await t.res.db.query(
      `SELECT context->'networkAllow' AS allow FROM agent_sessions WHERE context ? 'networkAllow'`,
    );
    expect(rows.map((r) => r.allow)).toEqual([['registry.npmjs.org']]);
  }, 150_000);
});
