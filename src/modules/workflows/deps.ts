import type { AgentSessionDeps } from '../agents/index.ts';
import type { StartTaskDeps } from '../automation/index.ts';
import type { EnvironmentActionDeps } from '../deploy/index.ts';
import type { PipelineDeps } from '../pipelines/index.ts';
import type { VerifyEnvironmentDeps } from '../studio/index.ts';

/**
 * What workflows need from the composition root: the deps of every use case a step kind calls
 * (pipelines, agent sessions, deploys, the browser robot, tasks, notifications).
 */
export type WorkflowDeps = PipelineDeps &
  EnvironmentActionDeps &
  VerifyEnvironmentDeps &
  StartTaskDeps & { agents: AgentSessionDeps };
