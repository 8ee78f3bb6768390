/**
 * Gemini CLI (`gemini -p … --output-format stream-json --yolo`), a Node bundle run with Orchard's
 * own Node. It reads its key type from `~/.gemini/settings.json` (written into the run's private
 * HOME with usage statistics, telemetry and update checks off) and does not relaunch itself in a
 * second Node process (`GEMINI_CLI_NO_RELAUNCH`), which only costs start-up time here.
 * Orchard's MCP server is the one server of those settings (`mcpServers.orchard`: `httpUrl` and
 * the token's header), and `--allowed-mcp-server-names` keeps a repository's own settings from
 * adding others.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CliAdapter, ORCHARD_MCP_SERVER } from './cli-adapter.ts';
import { createGeminiMapper } from './gemini-events.ts';

/** Without a model Gemini CLI routes each request through a classifier call first ("auto"). */
export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash';

export const gemini: CliAdapter = {
  name: 'gemini',
  runtimeName: 'cli:gemini',
  label: 'Gemini CLI',
  packageName: '@google/gemini-cli',
  version: '0.61.0',
  entry: (installDir) => [
    process.execPath,
    path.join(installDir, 'node_modules', '@google', 'gemini-cli', 'bundle', 'gemini.js'),
  ],
  prepareHome: async ({ home, maxSteps, mcp }) => {
    const settings = {
      security: { auth: { selectedType: 'gemini-api-key' } },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      tools: { useRipgrep: false },
      ...(maxSteps ? { model: { maxSessionTurns: maxSteps } } : {}),
      ...(mcp
        ? {
            mcpServers: {
              [ORCHARD_MCP_SERVER]: {
                httpUrl: mcp.url,
                headers: { Authorization: `Bearer ${mcp.token}` },
                trust: true,
              },
            },
          }
        : {}),
    };
    await mkdir(path.join(home, '.gemini'), { recursive: true });
    await writeFile(path.join(home, '.gemini', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`, {
      mode: 0o600,
    });
  },
  invocation: ({ prompt, model, llm, readDirs }) => ({
    args: [
      '-p',
      prompt,
      '--output-format',
      'stream-json',
      '--model',
      model ?? GEMINI_DEFAULT_MODEL,
      '--approval-mode',
      'yolo',
      '--allowed-mcp-server-names',
      ORCHARD_MCP_SERVER,
      ...readDirs.flatMap((dir) => ['--include-directories', dir]),
    ],
    env: {
      GEMINI_API_KEY: llm.apiKey,
      GOOGLE_GEMINI_BASE_URL: llm.gemini,
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
      GEMINI_CLI_NO_RELAUNCH: 'true',
    },
  }),
  createMapper: createGeminiMapper,
};
