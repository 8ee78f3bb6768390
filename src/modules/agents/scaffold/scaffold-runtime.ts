/**
 * The `scaffold` runtime: Blueprint → the template's files, written into the workspace. Works
 * offline and is deterministic (the same Blueprint gives the same tree). Files that an earlier
 * scaffold run wrote and this one does not are deleted, so a rebuild after removing an entity
 * leaves no stale model behind; files the branch got from elsewhere (the default branch) stay.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AgentEvent, AgentRuntime } from '../agent-runtime.ts';
import { renderTemplate } from './templates.ts';

/** Where a scaffold run records what it wrote, so the next run knows what it owns. */
export const SCAFFOLD_MANIFEST = '.orchard/scaffold-files.json';

/** Checks a template path before it is joined to the workspace (templates are ours, but still). */
function safePath(file: string): string {
  const normal = path.posix.normalize(file);
  if (
    normal.startsWith('../') ||
    normal === '..' ||
    path.posix.isAbsolute(normal) ||
    normal.startsWith('.git/')
  ) {
    throw new Error(`The template produced an unsafe path: ${file}`);
  }
  return normal;
}

async function previousFiles(dir: string): Promise<string[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, SCAFFOLD_MANIFEST), 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

export function createScaffoldRuntime(): AgentRuntime {
  return {
    name: 'scaffold',
    async *run(task, workspace, ctx): AsyncIterable<AgentEvent> {
      const { signal } = ctx;
      signal.throwIfAborted();
      yield { type: 'phase', phase: 'render', message: `Rendering the ${task.template} template` };
      const files = renderTemplate(task.template, task.blueprint);
      const paths = [...files.keys()].map(safePath).sort();
      yield { type: 'log', line: `The ${task.template} template renders ${paths.length} files.` };
      yield { type: 'phase', phase: 'write', message: `Writing ${paths.length} files` };
      const stale = (await previousFiles(workspace.dir)).filter((p) => !files.has(p));
      for (const file of stale) {
        signal.throwIfAborted();
        await rm(path.join(workspace.dir, safePath(file)), { force: true });
        yield { type: 'file', path: file, action: 'delete' };
      }
      let written = 0;
      for (const file of paths) {
        signal.throwIfAborted();
        const contents = files.get(file)!;
        const target = path.join(workspace.dir, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, contents);
        written += 1;
        yield { type: 'file', path: file, action: 'write', bytes: Buffer.byteLength(contents) };
        // A progress event per file would flood the stream; every tenth (and the last) is plenty.
        if (written % 10 === 0 || written === paths.length) {
          yield {
            type: 'progress',
            fraction: written / paths.length,
            message: `${written}/${paths.length} files`,
          };
        }
      }
      await mkdir(path.join(workspace.dir, path.dirname(SCAFFOLD_MANIFEST)), { recursive: true });
      await writeFile(path.join(workspace.dir, SCAFFOLD_MANIFEST), `${JSON.stringify(paths, null, 2)}\n`);
      yield { type: 'usage', steps: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 };
      const removed = stale.length ? `, removed ${stale.length}` : '';
      yield {
        type: 'result',
        summary: `Scaffolded ${paths.length} files from the ${task.template} template${removed}.`,
        commitMessage: `${task.title}\n\nScaffolded by Orchard from the Blueprint (${task.template} template, ${paths.length} files${removed}).`,
      };
    },
  };
}
