import { existsSync } from 'node:fs';
import { branchHead, DEFAULT_BRANCH, readFileAt, repositoryPath, runGit } from '../../git/index.ts';
import { type ParsedWorkflowFile, parseWorkflowFile, WORKFLOW_DIR } from './workflow-file.ts';

const MAX_FILES = 100;
const FILE = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.ya?ml$/;

export interface WorkflowFile {
  /** The file's name without `.yml`: how the API and the CLI name the workflow. */
  name: string;
  path: string;
  parsed: ParsedWorkflowFile;
  /** The file's text, for telling whether a schedule's file changed. */
  text: string;
}

/**
 * The workflow files on the project's default branch (`.orchard/workflows/*.yml`), parsed and
 * validated, at its head commit. Workflows are read from the default branch only: a branch
 * (an agent's, anyone's) cannot define what runs, nor lower who must approve.
 */
export async function readWorkflowFiles(
  home: string,
  slug: string,
): Promise<{ sha: string | null; files: WorkflowFile[] }> {
  const repo = repositoryPath(home, slug);
  const sha = existsSync(repo) ? await branchHead(repo, DEFAULT_BRANCH) : undefined;
  if (!sha) return { sha: null, files: [] };
  const listed = await runGit(['ls-tree', '-z', '--name-only', `${sha}:${WORKFLOW_DIR}`], { cwd: repo });
  if (listed.code !== 0) return { sha, files: [] };
  const names = listed.stdout
    .toString('utf8')
    .split('\0')
    .filter((n) => FILE.test(n))
    .sort()
    .slice(0, MAX_FILES);
  const files: WorkflowFile[] = [];
  for (const file of names) {
    const path = `${WORKFLOW_DIR}/${file}`;
    const text = (await readFileAt(repo, sha, path, 256 * 1024)) ?? '';
    files.push({ name: FILE.exec(file)![1]!, path, text, parsed: parseWorkflowFile(text, path) });
  }
  return { sha, files };
}
