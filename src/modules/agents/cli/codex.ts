/**
 * Codex (`codex exec --json`). The npm package's `codex.js` only finds and execs the native binary
 * of the platform package beside it; we run that binary directly (one process less, and no Node
 * wrapper between the sandbox's signals and Codex). Codex takes a base URL only through a model
 * provider of its own (`-c model_providers.orchard=…`). Its own sandbox (`--sandbox
 * workspace-write`) cannot work inside Orchard's: it starts a nested bubblewrap, and Orchard's
 * sandbox forbids new user namespaces ("bwrap: Creating new namespace failed: nesting depth or
 * /proc/sys/user/max_*_namespaces exceeded (ENOSPC)"), so it runs with `danger-full-access`
 * and Orchard's sandbox is the boundary. Orchard's MCP server is a streamable HTTP server of its
 * config (`-c mcp_servers.orchard={url=…,bearer_token_env_var=…}`): the token stays in the
 * environment, never on the command line.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type CliAdapter, ORCHARD_MCP_SERVER } from './cli-adapter.ts';
import { createCodexMapper } from './codex-events.ts';

const TRIPLES: Record<string, string> = {
  'linux-x64': 'x86_64-unknown-linux-musl',
  'linux-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
};

function vendorDir(installDir: string): string {
  const platform = `${process.platform}-${process.arch}`;
  return path.join(
    installDir,
    'node_modules',
    '@openai',
    `codex-${platform}`,
    'vendor',
    TRIPLES[platform] ?? platform,
  );
}

/** Features that reach beyond the model (plugin and app catalogues, updates, hosted search) stay off. */
const QUIET = [
  'features.plugins=false',
  'features.remote_plugin=false',
  'features.apps=false',
  'features.in_app_updates=false',
  'features.multi_agent=false',
  'features.goals=false',
  'check_for_update_on_startup=false',
  'analytics.enabled=false',
  'web_search="disabled"',
];

/** The variable Codex reads Orchard's MCP token from. */
const MCP_TOKEN_VAR = 'ORCHARD_MCP_TOKEN';

export const codex: CliAdapter = {
  name: 'codex',
  runtimeName: 'cli:codex',
  label: 'Codex',
  packageName: '@openai/codex',
  version: '0.171.0',
  entry: (installDir) => [path.join(vendorDir(installDir), 'bin', 'codex')],
  extraPath: (installDir) => [path.join(vendorDir(installDir), 'codex-path')],
  invocation: ({ prompt, model, llm, mcp, home }) => ({
    args: [
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--sandbox',
      'danger-full-access',
      ...(model ? ['--model', model] : []),
      '-c',
      `model_providers.orchard={name="orchard",base_url=${JSON.stringify(llm.openai)},env_key="ORCHARD_API_KEY",wire_api="responses"}`,
      '-c',
      'model_provider=orchard',
      ...QUIET.flatMap((setting) => ['-c', setting]),
      ...(mcp
        ? [
            '-c',
            `mcp_servers.${ORCHARD_MCP_SERVER}={url=${JSON.stringify(mcp.url)},bearer_token_env_var="${MCP_TOKEN_VAR}"}`,
          ]
        : []),
      '--',
      prompt,
    ],
    env: {
      ORCHARD_API_KEY: llm.apiKey,
      ...(mcp ? { [MCP_TOKEN_VAR]: mcp.token } : {}),
      CODEX_HOME: path.join(home, '.codex'),
      RUST_LOG: 'error',
    },
  }),
  prepareHome: async ({ home }) => {
    // Codex refuses a CODEX_HOME that does not exist.
    await mkdir(path.join(home, '.codex'), { recursive: true });
  },
  createMapper: createCodexMapper,
};
