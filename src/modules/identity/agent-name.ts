/** Agent principals are named `agent-<project slug>`; people may not take such names. */
export const AGENT_NAME_PREFIX = 'agent-';
const MAX_USERNAME = 39;

export function isAgentName(username: string): boolean {
  return username.startsWith(AGENT_NAME_PREFIX);
}

/**
 * The agent principal's name for a project: `agent-<slug>`, or, when that is too long for a user
 * name (39 characters) or held by someone else, `agent-<start of slug>-<start of project id>`.
 */
export function agentNames(project: { id: string; slug: string }): string[] {
  const plain = `${AGENT_NAME_PREFIX}${project.slug}`;
  const suffix = `-${project.id.replace(/-/g, '').slice(0, 8)}`;
  const head = project.slug.slice(0, MAX_USERNAME - AGENT_NAME_PREFIX.length - suffix.length);
  const unique = `${AGENT_NAME_PREFIX}${head}${suffix}`;
  return plain.length <= MAX_USERNAME ? [plain, unique] : [unique];
}
