import type { AgentSessionDeps } from '../agents/index.ts';
import type { EnvironmentActionDeps } from '../deploy/index.ts';
import type { ActorCache } from '../identity/index.ts';
import type { PipelineDeps } from '../pipelines/index.ts';
import { agentProjects, type ProjectOverviews } from '../projects/index.ts';
import type { ReviewDeps } from '../reviews/index.ts';
import type { McpTool } from './mcp-tool.ts';
import { adminTools } from './tools/admin-tools.ts';
import { agentTools } from './tools/agent-tools.ts';
import { automationTools } from './tools/automation-tools.ts';
import { boardTools } from './tools/board-tools.ts';
import { type CoreToolDeps, coreTools } from './tools/core-tools.ts';
import { deployTools } from './tools/deploy-tools.ts';
import { issueTools } from './tools/issue-tools.ts';
import { type ObserveToolDeps, observeTools } from './tools/observe-tools.ts';
import { pipelineTools } from './tools/pipeline-tools.ts';
import { telemetryTools } from './tools/telemetry-tools.ts';
import { verifyTools } from './tools/verify-tools.ts';
import { workflowTools } from './tools/workflow-tools.ts';

/** Every tool Orchard offers over MCP, set by set (each caller sees the ones it may use). */
export function orchardTools(
  res: PipelineDeps &
    EnvironmentActionDeps &
    Parameters<typeof verifyTools>[0] &
    Parameters<typeof automationTools>[0] &
    CoreToolDeps &
    ObserveToolDeps,
  deps: ReviewDeps & { overviews: ProjectOverviews; agents: AgentSessionDeps; cache?: ActorCache },
): McpTool[] {
  return [
    ...coreTools({ ...res, overviews: deps.overviews }),
    ...boardTools(res),
    ...issueTools(res, deps),
    ...pipelineTools(res),
    ...workflowTools({ ...res, agents: deps.agents }),
    ...deployTools(res),
    ...verifyTools(res),
    ...automationTools(res),
    ...observeTools(res),
    ...telemetryTools(res),
    ...agentTools(deps.agents),
    ...adminTools({ db: res.db, clock: res.clock, cache: deps.cache, projects: agentProjects(res.db) }),
  ];
}
