import type { Command } from 'commander';
import { z } from 'zod';
import { createCliResources } from '../app.ts';
import type { LlmEvent } from '../modules/llm/index.ts';
import { createLogger } from '../platform/log.ts';
import { configFor } from './load-config.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';

const AskFlags = z
  .object({
    alias: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    system: z.string().optional(),
    maxOutputTokens: z.coerce.number().int().positive().optional(),
    budgetUsd: z.coerce.number().positive().optional(),
    verbose: z.boolean().default(false),
  })
  .refine((f) => !(f.alias && f.model), { message: 'use --alias or --model, not both', path: ['model'] });

/** `orchard llm ask "prompt"`: streams the answer to stdout, then one line of usage and cost. */
export function registerLlmAsk(llm: Command) {
  llm
    .command('ask')
    .description('ask a model (through the gateway, from this config) and stream the answer')
    .argument('<prompt...>', 'the prompt')
    .option('--alias <alias>', 'model alias from llm.aliases (default: fast, else the first alias)')
    .option('--model <provider/model>', 'one model instead of an alias')
    .option('--system <text>', 'system prompt')
    .option('--max-output-tokens <n>', 'cap on output tokens')
    .option('--budget-usd <usd>', 'stop when the call would cost more than this')
    .option('--verbose', 'log retries and fallbacks to stderr')
    .action(async (words: string[], opts: Record<string, unknown>, command: Command) => {
      const flags = parseInput(AskFlags, opts);
      const config = configFor(command);
      const alias = flags.model ? undefined : (flags.alias ?? defaultAlias(config.llm.aliases));
      // Logs go to stderr so that stdout carries only the answer.
      const logger = createLogger({ level: flags.verbose ? 'warn' : 'error', destination: process.stderr });
      const res = await createCliResources(config, { logger });
      const abort = new AbortController();
      const onSignal = () => abort.abort(new CliError('Interrupted.'));
      process.once('SIGINT', onSignal);
      const started = performance.now();
      let firstChunk: number | undefined;
      try {
        const stream = res.llm.stream({
          ...(alias ? { alias } : { model: flags.model! }),
          messages: [{ role: 'user', content: words.join(' ') }],
          ...(flags.system ? { system: flags.system } : {}),
          ...(flags.maxOutputTokens ? { maxOutputTokens: flags.maxOutputTokens } : {}),
          ...(flags.budgetUsd ? { budget: { costUsd: flags.budgetUsd } } : {}),
          signal: abort.signal,
        });
        for await (const event of stream) {
          if (event.type !== 'usage' && event.type !== 'finish') firstChunk ??= performance.now();
          process.stdout.write(render(event, started, firstChunk));
        }
      } finally {
        process.off('SIGINT', onSignal);
        await res.close();
      }
    });
}

function defaultAlias(aliases: Record<string, string[]>): string {
  const names = Object.keys(aliases);
  if (aliases.fast) return 'fast';
  if (names[0]) return names[0];
  throw new CliError('No model aliases are configured (llm.aliases); pass --model provider/model.');
}

function render(event: LlmEvent, started: number, firstChunk: number | undefined): string {
  switch (event.type) {
    case 'text-delta':
      return event.text;
    case 'tool-call':
      return `\n[tool call ${event.name} ${JSON.stringify(event.args)}]\n`;
    case 'usage':
      return '';
    case 'finish': {
      const u = event.usage;
      const ttft = firstChunk === undefined ? '' : ` · first token ${Math.round(firstChunk - started)} ms`;
      const attempts = `${event.attempts} attempt${event.attempts === 1 ? '' : 's'}`;
      return (
        `\n\n— ${event.provider}/${event.model} · ${u.inputTokens} in (${u.cachedInputTokens} cached) / ${u.outputTokens} out tokens` +
        ` · $${event.costUsd.toFixed(6)} · ${attempts}${ttft} · ${((performance.now() - started) / 1000).toFixed(2)} s\n`
      );
    }
  }
}
