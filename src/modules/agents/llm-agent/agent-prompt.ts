/** What the llm-agent is told before the task: who it is, the repository, its rules, the Blueprint and the spec. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../../git/index.ts';
import type { AgentTask, AgentWorkspace } from '../agent-runtime.ts';
import { userStoriesText } from '../user-stories-text.ts';
import { workspaceGitEnv } from '../workspace-git-env.ts';

const MAX_TREE = 300;
const MAX_AGENTS_MD = 12_000;
const MAX_SPEC = 16_000;

/**
 * The repository as the run started: the files and AGENTS.md of its base commit, so every attempt
 * of a run (one resumed after its worker died, with the checkpoint restored) gets the same system
 * prompt as the first — and a symlinked AGENTS.md is read as git stores it, never followed. A
 * workspace without a base commit is read as it is.
 */
async function startingPoint(workspace: Pick<AgentWorkspace, 'dir' | 'gitDir' | 'baseSha'>) {
  const options = { cwd: workspace.dir, env: workspaceGitEnv(workspace) };
  const atBase = await runGit(['ls-tree', '-r', '--name-only', workspace.baseSha], options);
  if (atBase.code === 0) {
    const agentsMd = await runGit(['show', `${workspace.baseSha}:AGENTS.md`], {
      ...options,
      maxOutputBytes: 1_000_000,
    }).catch(() => undefined);
    return {
      listing: atBase.stdout.toString('utf8'),
      agentsMd: agentsMd?.code === 0 ? agentsMd.stdout.toString('utf8') : '',
    };
  }
  const listed = await runGit(['ls-files', '--cached', '--others', '--exclude-standard'], options);
  return {
    listing: listed.stdout.toString('utf8'),
    agentsMd: await readFile(path.join(workspace.dir, 'AGENTS.md'), 'utf8').catch(() => ''),
  };
}

export async function systemPrompt(
  workspace: Pick<AgentWorkspace, 'dir' | 'gitDir' | 'baseSha'>,
  task: AgentTask,
  testCommand: string,
): Promise<string> {
  const { listing, agentsMd } = await startingPoint(workspace);
  const files = listing.split('\n').filter(Boolean).sort();
  const tree =
    files.slice(0, MAX_TREE).join('\n') +
    (files.length > MAX_TREE ? `\n… ${files.length - MAX_TREE} more` : '');
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
  const stories = userStoriesText(doc);
  if (stories) parts.push('', stories);
  if (task.spec) parts.push('', `## Spec\n${task.spec.slice(0, MAX_SPEC)}`);
  return parts.join('\n');
}

/** The first user message: the task itself. */
export function taskMessage(task: AgentTask): string {
  return task.instructions ? `${task.title}\n\n${task.instructions}` : task.title;
}
