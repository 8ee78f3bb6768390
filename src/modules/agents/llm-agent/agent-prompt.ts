/** What the llm-agent is told before the task: who it is, the repository, its rules, the Blueprint and the spec. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../../git/index.ts';
import type { AgentTask, AgentWorkspace } from '../agent-runtime.ts';
import { workspaceGitEnv } from '../workspace-git-env.ts';

const MAX_TREE = 300;
const MAX_AGENTS_MD = 12_000;
const MAX_SPEC = 16_000;

export async function systemPrompt(
  workspace: Pick<AgentWorkspace, 'dir' | 'gitDir'>,
  task: AgentTask,
  testCommand: string,
): Promise<string> {
  const dir = workspace.dir;
  const listed = await runGit(['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: dir,
    env: workspaceGitEnv(workspace),
  });
  const files = listed.stdout.toString('utf8').split('\n').filter(Boolean).sort();
  const tree =
    files.slice(0, MAX_TREE).join('\n') +
    (files.length > MAX_TREE ? `\n… ${files.length - MAX_TREE} more` : '');
  const agentsMd = await readFile(path.join(dir, 'AGENTS.md'), 'utf8').catch(() => '');
  const doc = task.blueprint;
  const blueprint = {
    feature: doc.feature,
    summary: doc.summary,
    entities: doc.sections.dataModel.entities.map((e) => ({
      name: e.name,
      fields: e.fields.map((f) => `${f.name}:${f.type}`),
    })),
    pages: doc.sections.pages.map((p) => ({ name: p.name, path: p.path, kind: p.kind })),
  };
  const parts = [
    'You are a careful software engineer working in a git repository through tools.',
    'Work in small steps: look at the code before changing it, make the change, run the tests, fix what fails.',
    'Use edit_file for changes to existing files and write_file for new files. Do not commit: the commit is made for you.',
    `The tests run with: ${testCommand}. When the change is done and the tests pass, call finish with a short summary.`,
    '',
    `## Repository files\n${tree || '(empty)'}`,
  ];
  if (agentsMd)
    parts.push(
      '',
      `## AGENTS.md (the project's instructions for agents)\n${agentsMd.slice(0, MAX_AGENTS_MD)}`,
    );
  parts.push('', `## Blueprint (what the app is)\n${JSON.stringify(blueprint, null, 1)}`);
  if (task.spec) parts.push('', `## Spec\n${task.spec.slice(0, MAX_SPEC)}`);
  return parts.join('\n');
}

/** The first user message: the task itself. */
export function taskMessage(task: AgentTask): string {
  return task.instructions ? `${task.title}\n\n${task.instructions}` : task.title;
}
