import { defineStep, defineWorkflow, type Registry } from '../operations/index.ts';
import { approvalStep } from './approvals/approval-step.ts';
import { cancelPendingApprovals } from './approvals/approval-store.ts';
import type { WorkflowDeps } from './deps.ts';
import { STEP_KINDS } from './file/step-kinds.ts';
import { agentStep } from './kinds/agent-step.ts';
import { automationStep } from './kinds/automation-step.ts';
import { deployStep } from './kinds/deploy-step.ts';
import { notifyStep } from './kinds/notify-step.ts';
import { pipelineStep } from './kinds/pipeline-step.ts';
import { verifyStep } from './kinds/verify-step.ts';
import { requestActionCancels } from './run/action-store.ts';
import type { KindHandlers } from './run/kind-call.ts';
import {
  buildRunGraph,
  EACH_STEP,
  stepHandlerOf,
  WORKFLOW_KIND,
  WorkflowRunInput,
  type WorkflowStepInput,
} from './run/run-input.ts';
import { fanOutWorkflowStep, runWorkflowStep } from './run/run-workflow-step.ts';

const KINDS: KindHandlers = {
  pipeline: pipelineStep,
  agent: agentStep,
  deploy: deployStep,
  verify: verifyStep,
  automation: automationStep,
  approval: approvalStep,
  notify: notifyStep,
};

/**
 * `workflow.run`: a workflow file's steps as engine steps (one per step, `needs` as dependencies;
 * `workflow.each` fans a forEach step out), each kind's handler, and the run's end.
 */
export function registerWorkflowJobs(registry: Registry, deps: WorkflowDeps) {
  registry.add(
    defineWorkflow(WORKFLOW_KIND, WorkflowRunInput, buildRunGraph, {
      // The run ended: its approvals can no longer be decided, what its steps started is stopped.
      onEnd: async (tx, ended) => {
        await cancelPendingApprovals(tx, ended.id, ended.at);
        await requestActionCancels(tx, ended.id);
      },
    }),
    defineStep<WorkflowStepInput>(EACH_STEP, { retry: { maxAttempts: 1 }, handler: fanOutWorkflowStep }),
    ...STEP_KINDS.map((kind) =>
      defineStep<WorkflowStepInput>(stepHandlerOf(kind), {
        // Tries come from each step's `retries` (maxAttempts per step); this is the backoff between them.
        retry: { maxAttempts: 1, baseMs: 1_000, maxMs: 60_000 },
        handler: (ctx) => runWorkflowStep(deps, KINDS, ctx),
      }),
    ),
  );
}
