import type { Command } from 'commander';
import { registerAdmin } from './admin.ts';
import { registerAutomate } from './automate.ts';
import { registerBackup } from './backup.ts';
import { registerDeploy } from './deploy.ts';
import { registerDoctor } from './doctor.ts';
import { registerLlm } from './llm.ts';
import { registerMcp } from './mcp.ts';
import { registerMigrate } from './migrate.ts';
import { registerMockLlm } from './mock-llm.ts';
import { registerOps } from './ops.ts';
import { registerPrompt } from './prompt.ts';
import { registerRestore } from './restore.ts';
import { registerSecrets } from './secrets.ts';
import { registerToken } from './token.ts';
import { registerUp } from './up.ts';
import { registerWorker } from './worker.ts';
import { registerWorkflow } from './workflow.ts';

/** Every CLI command registers itself here (one file per command in src/cli/). */
export const CLI_COMMANDS: Array<(program: Command) => void> = [
  registerUp,
  registerMigrate,
  registerAdmin,
  registerToken,
  registerMockLlm,
  registerLlm,
  registerWorker,
  registerOps,
  registerPrompt,
  registerDeploy,
  registerDoctor,
  registerMcp,
  registerAutomate,
  registerSecrets,
  registerBackup,
  registerRestore,
  registerWorkflow,
];
