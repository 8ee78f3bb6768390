import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { claudeCode } from './claude-code.ts';
import type { CliAdapter, CliInvocation } from './cli-adapter.ts';
import { codex } from './codex.ts';
import { gemini } from './gemini.ts';
import { INNER_PORT, openLlmBridge } from './llm-bridge.ts';

/**
 * What each agent CLI is given to reach Orchard's MCP server from inside the sandbox: one server,
 * `orchard`, at the bridge's inner URL, with the session's token — in its environment or a file
 * of its private HOME, never on its command line.
 */
let home: string;
let mock: MockLlm;
const TOKEN = 'orch_0123456789abcdefghijklmnopqrstuvwxyzABCD';
const MCP_URL = `http://127.0.0.1:${INNER_PORT}/mcp`;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'orchard-cli-mcp-'));
  mock = await startMockLlm();
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await mock?.close();
});

async function invoke(cli: CliAdapter, dir: string, withMcp = true) {
  const invocation: CliInvocation = {
    prompt: 'Do the thing.',
    llm: {
      anthropic: 'http://127.0.0.1:41000',
      openai: 'http://127.0.0.1:41000/v1',
      gemini: 'http://127.0.0.1:41000',
      apiKey: TOKEN,
    },
    ...(withMcp ? { mcp: { url: MCP_URL, token: TOKEN } } : {}),
    home: path.join(home, dir),
    readDirs: [],
  };
  await mkdir(invocation.home, { recursive: true });
  await cli.prepareHome?.(invocation);
  return { ...cli.invocation(invocation), home: invocation.home };
}

describe("the agent CLIs' MCP configuration", () => {
  it('Claude Code: --mcp-config names a file of its HOME with the orchard http server and the bearer header; --strict-mcp-config', async () => {
    const { args, home: cliHome } = await invoke(claudeCode, 'claude');
    const file = args[args.indexOf('--mcp-config') + 1]!;
    expect(path.dirname(file)).toBe(cliHome);
    expect(args).toContain('--strict-mcp-config');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      mcpServers: { orchard: { type: 'http', url: MCP_URL, headers: { Authorization: `Bearer ${TOKEN}` } } },
    });
    expect((await stat(file)).mode & 0o077).toBe(0);
    expect(args.join(' ')).not.toContain(TOKEN);
    // Without an MCP endpoint: no server at all, and still none from the repository's .mcp.json.
    const without = await invoke(claudeCode, 'claude-none', false);
    expect(without.args).not.toContain('--mcp-config');
    expect(without.args).toContain('--strict-mcp-config');
  });

  it('Codex: a streamable HTTP server in its config, the token read from its environment', async () => {
    const { args, env } = await invoke(codex, 'codex');
    expect(args).toContain(`mcp_servers.orchard={url="${MCP_URL}",bearer_token_env_var="ORCHARD_MCP_TOKEN"}`);
    expect(env.ORCHARD_MCP_TOKEN).toBe(TOKEN);
    expect(args.join(' ')).not.toContain(TOKEN);
    expect((await invoke(codex, 'codex-none', false)).args.join(' ')).not.toContain('mcp_servers');
  });

  it('Gemini CLI: mcpServers.orchard in its settings.json (httpUrl and the header), and only that server allowed', async () => {
    const { args, home: cliHome } = await invoke(gemini, 'gemini');
    const settings = JSON.parse(await readFile(path.join(cliHome, '.gemini', 'settings.json'), 'utf8'));
    expect(settings.mcpServers).toEqual({
      orchard: { httpUrl: MCP_URL, headers: { Authorization: `Bearer ${TOKEN}` }, trust: true },
    });
    expect(args[args.indexOf('--allowed-mcp-server-names') + 1]).toBe('orchard');
    expect(args.join(' ')).not.toContain(TOKEN);
  });
});

describe('the LLM bridge', () => {
  it("carries Orchard's /mcp on the port of its origin, which it shares with the LLM proxy", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-bridge-mcp-'));
    const bridge = await openLlmBridge(
      {
        anthropic: `${mock.url}/llm/anthropic`,
        openai: `${mock.url}/llm/openai/v1`,
        gemini: `${mock.url}/llm/gemini`,
        apiKey: 'k',
      },
      dir,
      `${mock.url}/mcp`,
    );
    try {
      expect(bridge.innerMcp).toBe(`http://127.0.0.1:${INNER_PORT}/mcp`);
      expect(bridge.routes).toHaveLength(1);
    } finally {
      await bridge.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
