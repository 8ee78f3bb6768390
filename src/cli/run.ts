import type { Command } from 'commander';
import { ConfigError } from '../config.ts';
import { DomainError } from '../platform/errors.ts';

/** Parses argv and runs the command; user errors print one clear line and exit 1. */
export async function runCli(program: Command, argv: string[]) {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DomainError || error instanceof CliError) {
      process.stderr.write(`orchard: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** An error the user caused on the command line; printed without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}
