import { Command } from 'commander';
import { CLI_COMMANDS } from './cli/commands.ts';
import { runCli } from './cli/run.ts';

const program = new Command('orchard')
  .description('Orchard: a self-hosted AI software factory (prompt → Blueprint → code → preview → publish).')
  .option('--config <file>', 'config file (YAML or JSON); also ORCHARD_CONFIG')
  .showHelpAfterError('(run with --help for usage)')
  .enablePositionalOptions();

for (const register of CLI_COMMANDS) register(program);

await runCli(program, process.argv);
