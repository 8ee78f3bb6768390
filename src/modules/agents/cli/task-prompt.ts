import type { AgentTask, AgentWorkspace } from '../agent-runtime.ts';
import { userStoriesText } from '../user-stories-text.ts';

/** Specs up to this size go into the prompt itself; a longer one is a file the CLI reads. */
export const INLINE_SPEC_LIMIT = 64 * 1024;

/**
 * A CLI agent's prompt: the task, the requester's words, and the spec (inline, or the path of a
 * file outside the workspace, so nothing but the change is left in it).
 */
export function taskPrompt(task: AgentTask, workspace: AgentWorkspace, specFile?: string): string {
  const parts = [
    `You are working in a git checkout of the project "${workspace.projectSlug}" (branch ${workspace.branch}).`,
    `Task: ${task.title}`,
  ];
  if (task.instructions?.trim()) parts.push(`Instructions:\n${task.instructions.trim()}`);
  if (specFile) parts.push(`The spec is in ${specFile} (outside the checkout). Read it before you start.`);
  else if (task.spec.trim()) parts.push(`Spec:\n${task.spec.trim()}`);
  const stories = task.blueprint ? userStoriesText(task.blueprint) : '';
  if (stories) parts.push(stories);
  parts.push(
    'Make the change in the files of this checkout. Do not commit, push or create branches: Orchard commits what you leave in the working tree and opens the merge request. Do not leave scratch files in the checkout. The network reaches only the model and the hosts in network.allow of the project’s .orchard/agent.yml.',
  );
  return parts.join('\n\n');
}
