import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { PageResult, VerificationResult } from '../../automation/index.ts';
import { findStepOutputs } from '../../operations/index.ts';
import {
  ENVIRONMENT_BROWSER_KEY,
  VerifyBody,
  type VerifyEnvironmentDeps,
  verifyEnvironment,
} from '../../studio/index.ts';
import { defineTool, ToolContent } from '../mcp-tool.ts';
import { artifactImages } from './artifact-images.ts';
import { type AwaitOperationDeps, awaitOperation, WaitSeconds } from './await-operation.ts';
import { Slug } from './tool-inputs.ts';

function pageSummary(page: PageResult) {
  return {
    name: page.name,
    url: page.url,
    passed: page.passed,
    failedChecks: page.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`),
    consoleErrors: page.consoleErrors.slice(0, 5),
    screenshot: page.screenshot?.blobId ?? null,
    durationMs: page.durationMs,
  };
}

/** The screenshots worth looking at first: failed pages, then the rest, as many as asked for. */
function screenshotsOf(blobs: BlobStore, pages: PageResult[], wanted: number): Promise<ContentBlock[]> {
  const ordered = [...pages.filter((p) => !p.passed), ...pages.filter((p) => p.passed)];
  return artifactImages(
    blobs,
    ordered.map((page) => ({
      caption: `Screenshot of ${page.name} (${page.url}): ${page.passed ? 'passed' : 'FAILED'}`,
      shot: page.screenshot,
    })),
    wanted,
  );
}

/** verify: the browser robot on an environment or URL, its verdict and screenshots as images. */
export function verifyTools(deps: VerifyEnvironmentDeps & AwaitOperationDeps & { blobs: BlobStore }) {
  return [
    defineTool({
      name: 'verify',
      set: 'verify',
      title: 'Verify in a browser',
      description:
        "Runs Orchard's browser robot on an environment (env: staging, production or preview/<branch>) or a URL of one, like a user would: the checks the running commit's .orchard/smoke.yml and the Blueprint's user stories give, or the pages you name. Reports progress, answers with the verdict per page and the screenshots as images. A full run is recorded on the environment's release (publishing needs a verified release).",
      input: VerifyBody.extend({
        slug: Slug,
        waitSeconds: WaitSeconds,
        screenshots: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(3)
          .describe('How many screenshots to return as images (failed pages first)'),
      }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/verify',
        config: { projectRole: 'developer', delegated: true },
      },
      progress: true,
      slugOf: (args) => args.slug,
      run: async (ctx, { waitSeconds, screenshots, ...input }, call) => {
        const started = await verifyEnvironment(deps, ctx, input);
        await call.progress(started.says);
        const { ended, operation } = await awaitOperation(deps, ctx, call, started.operationId, waitSeconds);
        const result = ended
          ? ((await findStepOutputs(deps.db, [operation.id], ENVIRONMENT_BROWSER_KEY)).get(operation.id) as
              | VerificationResult
              | undefined)
          : undefined;
        const verdict = {
          operationId: operation.id,
          status: operation.status,
          environment: started.environment,
          url: started.url,
          sha: started.sha,
          checked: started.says,
          ...(result
            ? { passed: result.passed, pages: result.pages.map(pageSummary), durationMs: result.durationMs }
            : {}),
          ...(operation.error ? { error: operation.error } : {}),
          ...(ended ? {} : { note: 'Still running: follow it with get_operation.' }),
        };
        return new ToolContent([
          { type: 'text', text: JSON.stringify(verdict) },
          ...(result ? await screenshotsOf(deps.blobs, result.pages, screenshots) : []),
        ]);
      },
    }),
  ];
}
