import type { EnvironmentActionDeps } from '../deploy/index.ts';
import type { PipelineDeps } from '../pipelines/index.ts';
import type { ProjectOverviews } from '../projects/index.ts';
import type { ReviewDeps } from '../reviews/index.ts';
import type { McpTool } from './mcp-tool.ts';
import { coreTools } from './tools/core-tools.ts';
import { deployTools } from './tools/deploy-tools.ts';
import { issueTools } from './tools/issue-tools.ts';
import { observeTools } from './tools/observe-tools.ts';
import { pipelineTools } from './tools/pipeline-tools.ts';

/** Every tool Orchard offers over MCP, set by set (each caller sees the ones it may use). */
export function orchardTools(
  res: PipelineDeps & EnvironmentActionDeps,
  deps: ReviewDeps & { overviews: ProjectOverviews },
): McpTool[] {
  return [
    ...coreTools({ db: res.db, overviews: deps.overviews }),
    ...issueTools(res, deps),
    ...pipelineTools(res),
    ...deployTools(res),
    ...observeTools(res),
  ];
}
