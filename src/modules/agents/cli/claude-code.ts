/**
 * Claude Code (`claude -p … --output-format stream-json --verbose`). npm 11 does not run its
 * postinstall (`--ignore-scripts`), so `bin/claude.exe` stays a placeholder; the real program is the
 * native binary of the platform package npm installed beside it, which is what we run.
 * Permissions: `--dangerously-skip-permissions`, because Orchard's sandbox is the boundary (with
 * `acceptEdits` a headless run is refused every shell command that is not read-only); Claude Code
 * refuses that flag to root, and the sandbox never runs as root.
 * MCP: Orchard's own server only (`--mcp-config` naming it, from a file in the run's private HOME
 * so the token is not on the command line; `--strict-mcp-config`, so a repository's `.mcp.json`
 * starts nothing).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createClaudeCodeMapper } from './claude-code-events.ts';
import { type CliAdapter, ORCHARD_MCP_SERVER } from './cli-adapter.ts';

const PACKAGE = '@anthropic-ai/claude-code';

function nativeBinary(installDir: string): string {
  const scope = path.join(installDir, 'node_modules', '@anthropic-ai');
  const platform = `${process.platform}-${process.arch}`;
  const candidates = [`claude-code-${platform}`, `claude-code-${platform}-musl`].map((dir) =>
    path.join(scope, dir, process.platform === 'win32' ? 'claude.exe' : 'claude'),
  );
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}

/** Where the run's MCP configuration is written, in its private HOME. */
const mcpConfigFile = (home: string) => path.join(home, 'orchard-mcp.json');

export const claudeCode: CliAdapter = {
  name: 'claude-code',
  runtimeName: 'cli:claude-code',
  label: 'Claude Code',
  packageName: PACKAGE,
  version: '2.1.197',
  entry: (installDir) => [nativeBinary(installDir)],
  prepareHome: async ({ home, mcp }) => {
    if (!mcp) return;
    const config = {
      mcpServers: {
        [ORCHARD_MCP_SERVER]: {
          type: 'http',
          url: mcp.url,
          headers: { Authorization: `Bearer ${mcp.token}` },
        },
      },
    };
    await writeFile(mcpConfigFile(home), JSON.stringify(config), { mode: 0o600 });
  },
  invocation: ({ prompt, model, maxSteps, llm, mcp, home, readDirs }) => ({
    args: [
      '-p',
      prompt,
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      ...(mcp ? ['--mcp-config', mcpConfigFile(home)] : []),
      '--strict-mcp-config',
      ...(model ? ['--model', model] : []),
      ...(maxSteps ? ['--max-turns', String(maxSteps)] : []),
      ...readDirs.flatMap((dir) => ['--add-dir', dir]),
    ],
    env: {
      ANTHROPIC_BASE_URL: llm.anthropic,
      ANTHROPIC_API_KEY: llm.apiKey,
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    },
  }),
  createMapper: createClaudeCodeMapper,
};
