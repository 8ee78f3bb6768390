import type { Command } from 'commander';
import { z } from 'zod';
import { createCliResources } from '../app.ts';
import type { ProviderStatus } from '../modules/llm/index.ts';
import { createLogger } from '../platform/log.ts';
import { configFor } from './load-config.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';

const ProvidersFlags = z.object({
  url: z.url().optional(),
  token: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

/**
 * `orchard llm providers`: the providers, their keys' sources, models and prices, each circuit
 * breaker's state, and the aliases. Breakers live in the server process, so `--url` asks a running
 * Orchard; without it the view is this configuration's (all circuits closed).
 */
export function registerLlmProviders(llm: Command) {
  llm
    .command('providers')
    .description("show the LLM providers, aliases and each provider's circuit breaker")
    .option('--url <url>', 'a running Orchard to ask (its breakers are the live ones)')
    .option('--token <token>', 'an admin API token for --url')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const flags = parseInput(ProvidersFlags, opts);
      const view = flags.url ? await fetchView(flags.url, flags.token) : await localView(command);
      process.stdout.write(
        flags.json ? `${JSON.stringify(view, null, 2)}\n` : table(view.items, view.aliases),
      );
    });
}

async function localView(command: Command) {
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const res = await createCliResources(configFor(command), { logger });
  try {
    return { items: await res.llm.providers(), aliases: res.llm.aliases() };
  } finally {
    await res.close();
  }
}

async function fetchView(url: string, token: string | undefined) {
  if (!token) throw new CliError('--url needs --token (an admin API token).');
  const response = await fetch(new URL('/api/llm/providers', url), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok)
    throw new CliError(`${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as { items: ProviderStatus[]; aliases: Record<string, string[]> };
}

function table(items: ProviderStatus[], aliases: Record<string, string[]>): string {
  if (!items.length)
    return 'No LLM providers are configured (llm.providers in the config file, or POST /api/llm/providers).\n';
  const rows = [['PROVIDER', 'KIND', 'SOURCE', 'KEY', 'BREAKER', 'MODELS (USD per 1M in/out)']];
  for (const p of items) {
    const key = p.apiKey.ref ?? (p.apiKey.configured ? p.apiKey.source : 'none');
    const breaker =
      p.breaker.state === 'closed'
        ? 'closed'
        : `${p.breaker.state} (${p.breaker.consecutiveFailures} failures)`;
    const models = p.models.map((m) => `${m.id} ($${m.input}/$${m.output})`).join(', ') || '-';
    rows.push([p.name, p.kind, p.source, key, breaker, models]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '),
  );
  const chains = Object.entries(aliases).map(([alias, chain]) => `  ${alias} → ${chain.join(', ')}`);
  return `${lines.join('\n')}\n${chains.length ? `\nAliases:\n${chains.join('\n')}\n` : ''}`;
}
