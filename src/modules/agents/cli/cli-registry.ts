import { claudeCode } from './claude-code.ts';
import { type CliAdapter, type CliRuntimeName, cliRuntimeNames } from './cli-adapter.ts';
import { codex } from './codex.ts';
import { gemini } from './gemini.ts';

const ADAPTERS: Record<CliRuntimeName, CliAdapter> = {
  'cli:claude-code': claudeCode,
  'cli:codex': codex,
  'cli:gemini': gemini,
};

/** The adapter of a `cli:*` runtime; a clear error for a name that is none. */
export function cliAdapter(name: CliRuntimeName | CliAdapter): CliAdapter {
  if (typeof name !== 'string') return name;
  const adapter = ADAPTERS[name];
  if (!adapter) throw new Error(`Unknown CLI runtime "${name}"; known: ${cliRuntimeNames.join(', ')}.`);
  return adapter;
}
