import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';

/** Config for a command: file from the global --config, then env, then this command's flags. */
export function configFor(command: Command, flags: Record<string, unknown> = {}): Config {
  const globals = command.optsWithGlobals() as { config?: string };
  return loadConfig({ file: globals.config, flags });
}
