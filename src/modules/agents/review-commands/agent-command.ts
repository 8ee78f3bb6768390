/**
 * The instructions of a `/agent` review command: the text after `/agent` at the very start of a
 * comment (`''` when there is none), or undefined when the comment is no command (`/agents`, text first).
 */
export function agentCommand(comment: string): string | undefined {
  const match = /^\s*\/agent(?=\s|$)([\s\S]*)$/.exec(comment);
  return match ? match[1]!.trim() : undefined;
}
