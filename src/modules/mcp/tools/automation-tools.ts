import { z } from 'zod';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import { AutomationTaskBody, type StartTaskDeps, startAutomationTask } from '../../automation/index.ts';
import { listOperationEvents } from '../../operations/index.ts';
import { defineTool, ToolContent } from '../mcp-tool.ts';
import { artifactImages } from './artifact-images.ts';
import { type AwaitOperationDeps, awaitOperation, WaitSeconds } from './await-operation.ts';
import { Slug } from './tool-inputs.ts';

interface TaskStepEvent {
  index: number;
  name: string;
  passed: boolean;
  message: string;
  cache?: string;
  data?: unknown;
  screenshot?: { blobId: string; contentType: string; size: number };
}

/** The task's step and result events, read to the end. */
async function taskEvents(
  deps: AwaitOperationDeps,
  ctx: Parameters<typeof listOperationEvents>[1],
  id: string,
) {
  const steps: TaskStepEvent[] = [];
  let result: Record<string, unknown> | undefined;
  for (let after = 0; ; ) {
    const page = await listOperationEvents(deps.db, ctx, id, { after, limit: 1000 });
    for (const e of page.items) {
      if (e.type === 'task-step') steps.push(e.data as unknown as TaskStepEvent);
      if (e.type === 'task-result') result = e.data as Record<string, unknown>;
    }
    if (!page.nextCursor) return { steps, result };
    after = Number(page.nextCursor);
  }
}

/** verify: a browser automation task (steps or a goal), its steps and the last screenshots as images. */
export function automationTools(deps: StartTaskDeps & AwaitOperationDeps & { blobs: BlobStore }) {
  return [
    defineTool({
      name: 'run_automation_task',
      set: 'verify',
      title: 'Run a browser automation task',
      description:
        "Runs a browser automation task on one of the project's environments: steps (goto, click, fill, select, press, expect, extract, screenshot, and act/observe, which Orchard's planner resolves and caches) or a goal the planner works toward. %name% in values comes from variables or the project's secrets (listed in secrets) and never reaches the model, the logs or the recordings. Answers with each step's outcome, what was extracted, and screenshots as images (the failed step's first).",
      input: z.object({
        slug: Slug,
        task: AutomationTaskBody,
        waitSeconds: WaitSeconds,
        screenshots: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(2)
          .describe(
            'How many step screenshots to return as images (a failed step first, then the last ones)',
          ),
      }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/automation/tasks',
        config: { projectRole: 'developer', delegated: true },
      },
      progress: true,
      slugOf: (args) => args.slug,
      run: async (ctx, { slug, task, waitSeconds, screenshots }, call) => {
        const started = await startAutomationTask(deps, ctx, slug, task);
        await call.progress(`Task ${started.operationId} started`);
        const { ended, operation } = await awaitOperation(deps, ctx, call, started.operationId, waitSeconds);
        const { steps, result } = await taskEvents(deps, ctx.actor, operation.id);
        const verdict = {
          operationId: operation.id,
          status: operation.status,
          steps: steps.map((s) => ({
            index: s.index,
            step: s.name,
            passed: s.passed,
            message: s.message,
            ...(s.cache ? { cache: s.cache } : {}),
            ...(s.data !== undefined ? { data: s.data } : {}),
          })),
          ...(result
            ? {
                passed: result.passed,
                extracted: result.extracted,
                cache: result.cache,
                planner: result.planner,
                ...(result.stoppedBecause ? { stoppedBecause: result.stoppedBecause } : {}),
              }
            : {}),
          ...(ended ? {} : { note: 'Still running: follow it with get_operation.' }),
        };
        const wanted = [...steps.filter((s) => !s.passed), ...steps.filter((s) => s.passed).reverse()];
        const images = await artifactImages(
          deps.blobs,
          wanted.map((s) => ({
            caption: `After step ${s.index} (${s.name}): ${s.passed ? 'passed' : 'FAILED'}`,
            shot: s.screenshot,
          })),
          screenshots,
        );
        return new ToolContent([{ type: 'text', text: JSON.stringify(verdict) }, ...images]);
      },
    }),
  ];
}
