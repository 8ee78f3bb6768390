/**
 * The workflows module's public face: workflow trees from YAML (`.orchard/workflows/*.yml`) run on
 * the operations engine — their file format, runs, approvals and schedules.
 */
export { AGENTS_CANNOT_APPROVE, decideApproval } from './approvals/decide-approval.ts';
export { listApprovals } from './approvals/list-approvals.ts';
export type { WorkflowDeps } from './deps.ts';
export { WorkflowFileError } from './errors.ts';
export { parseWorkflowFile, WORKFLOW_DIR, type WorkflowIssue } from './file/workflow-file.ts';
export { registerWorkflowJobs } from './jobs.ts';
export { listWorkflowRuns } from './list-workflow-runs.ts';
export { listWorkflows } from './list-workflows.ts';
export { workflowRoutes } from './routes.ts';
export { cancelEndedRunActions } from './run/cancel-actions.ts';
export { WORKFLOW_KIND } from './run/run-input.ts';
export { AGENTS_CANNOT_RUN_WORKFLOWS, runWorkflow } from './run-workflow.ts';
export { syncWorkflowSchedules, workflowsOnPush } from './schedules/sync-schedules.ts';
export { runDueWorkflowSchedules, startWorkflowScheduler } from './schedules/workflow-scheduler.ts';
export { ApprovalView, RunWorkflowBody, WorkflowList, WorkflowRunView } from './schemas.ts';
