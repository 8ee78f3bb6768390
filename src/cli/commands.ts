import type { Command } from 'commander';
import { registerAdmin } from './admin.ts';
import { registerMigrate } from './migrate.ts';
import { registerMockLlm } from './mock-llm.ts';
import { registerToken } from './token.ts';
import { registerUp } from './up.ts';

/** Every CLI command registers itself here (one file per command in src/cli/). */
export const CLI_COMMANDS: Array<(program: Command) => void> = [
  registerUp,
  registerMigrate,
  registerAdmin,
  registerToken,
  registerMockLlm,
];
