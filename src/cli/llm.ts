import type { Command } from 'commander';
import { registerLlmAsk } from './llm-ask.ts';
import { registerLlmProviders } from './llm-providers.ts';

/** `orchard llm …`: the gateway from the command line (subcommands in llm-*.ts). */
export function registerLlm(program: Command) {
  const llm = program.command('llm').description('ask models and inspect the LLM providers');
  registerLlmAsk(llm);
  registerLlmProviders(llm);
}
