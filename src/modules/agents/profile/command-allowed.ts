import type { AgentProfile } from './agent-profile.ts';

/** What would let one allowed command start another: `;`, `&`, `|`, a newline, `` ` ``, `$(`. */
const CHAINING = /[;&|\n\r`]|\$\(/;

/**
 * Whether the profile lets the agent's `run` tool run `command`. No `commands.allow`: anything.
 * Otherwise the command's first words must be one of the allowed prefixes, word by word (`npm run`
 * allows `npm run build`, not `npm runx`), and it may not chain another command after it.
 */
export function commandAllowed(commands: AgentProfile['commands'], command: string): boolean {
  if (!commands.allow) return true;
  if (CHAINING.test(command)) return false;
  const words = command.trim().split(/\s+/);
  return commands.allow.some((prefix) => {
    const allowed = prefix.trim().split(/\s+/);
    return allowed.every((word, i) => words[i] === word);
  });
}
