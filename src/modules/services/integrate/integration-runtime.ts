import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AgentEvent, AgentRuntime } from '../../agents/index.ts';
import { type Integration, withReadmeSection } from './integration-files.ts';

/**
 * An agent runtime that writes a service's wiring into the workspace, deterministically: the
 * agents module's `buildOnBranch` commits it, moves the branch and opens the merge request, as it
 * does for every runtime.
 */
export function integrationRuntime(service: string, integration: Integration): AgentRuntime {
  return {
    name: `service:${service}`,
    async *run(_task, workspace, ctx): AsyncIterable<AgentEvent> {
      yield { type: 'phase', phase: 'write', message: `Wiring the ${service} service into the app` };
      for (const [file, content] of Object.entries(integration.files)) {
        ctx.signal.throwIfAborted();
        const full = path.join(workspace.dir, file);
        await mkdir(path.dirname(full), { recursive: true });
        await writeFile(full, content);
        yield { type: 'file', path: file, action: 'write', bytes: Buffer.byteLength(content) };
      }
      const readmePath = path.join(workspace.dir, 'README.md');
      const readme = await readFile(readmePath, 'utf8').catch(() => undefined);
      const next = withReadmeSection(readme, integration.readmeSection);
      if (next !== undefined) {
        await writeFile(readmePath, next);
        yield { type: 'file', path: 'README.md', action: 'write', bytes: Buffer.byteLength(next) };
      }
      yield {
        type: 'result',
        summary: integration.summary,
        commitMessage: `Wire the ${service} service into the app\n\n${integration.summary}`,
      };
    },
  };
}
