import { z } from 'zod';
import {
  decideApproval,
  listApprovals,
  listWorkflows,
  runWorkflow,
  type WorkflowDeps,
} from '../../workflows/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { awaitOperation, WaitSeconds } from './await-operation.ts';
import { Slug } from './tool-inputs.ts';

/** pipeline: a project's workflow files (.orchard/workflows/*.yml), running one, deciding its approvals. */
export function workflowTools(deps: WorkflowDeps) {
  return [
    defineTool({
      name: 'list_workflows',
      set: 'pipeline',
      title: 'List workflows',
      description:
        "The workflow files on a project's default branch (.orchard/workflows/*.yml): each one's steps, inputs and schedules, or — when invalid — every problem with its line.",
      input: z.object({ slug: Slug }),
      route: { method: 'GET', url: '/api/projects/:slug/workflows' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => listWorkflows(deps, ctx, args.slug),
    }),
    defineTool({
      name: 'run_workflow',
      set: 'pipeline',
      title: 'Run a workflow',
      description:
        "Runs a workflow file of the project's default branch (developers) with the given inputs, reporting its steps' progress until it ends (or waitSeconds pass). A run waiting on an approval says so; decide it with decide_workflow_approval. Answers with the run and its steps.",
      input: z.object({
        slug: Slug,
        workflow: z
          .string()
          .min(1)
          .max(64)
          .describe('The file name without .yml (as list_workflows names it)'),
        ref: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .describe('What pipelines and deploys act on (default: main)'),
        inputs: z.record(z.string(), z.unknown()).default({}).describe("Values for the file's inputs"),
        waitSeconds: WaitSeconds,
      }),
      route: { method: 'POST', url: '/api/projects/:slug/workflows/:name/runs' },
      progress: true,
      slugOf: (args) => args.slug,
      run: async (ctx, args, call) => {
        const run = await runWorkflow(deps, ctx, args.slug, args.workflow, {
          ref: args.ref,
          inputs: args.inputs,
        });
        const { ended, operation } = await awaitOperation(deps, ctx, call, run.id, args.waitSeconds);
        const pending = ended
          ? []
          : (await listApprovals(deps.db, ctx, args.slug, { run: run.id, status: 'pending', limit: 10 }))
              .items;
        return {
          ...run,
          status: operation.status,
          ...(operation.error ? { error: operation.error } : {}),
          steps: operation.steps.map((s) => ({ key: s.key, status: s.status, attempt: s.attempt })),
          ...(pending.length ? { waitingFor: pending } : {}),
          ...(ended ? {} : { note: 'Still running: follow it with get_operation.' }),
        };
      },
    }),
    defineTool({
      name: 'list_workflow_approvals',
      set: 'pipeline',
      title: 'List workflow approvals',
      description:
        "A project's workflow approvals, newest first (status: pending for those waiting), each saying whether you may decide it.",
      input: z.object({
        slug: Slug,
        status: z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']).optional(),
        run: z.uuid().optional().describe("Only this run's approvals (the run id run_workflow answered)"),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/workflow-approvals' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => listApprovals(deps.db, ctx, args.slug, { ...args, limit: 50 }),
    }),
    defineTool({
      name: 'decide_workflow_approval',
      set: 'pipeline',
      title: 'Approve or reject a workflow step',
      description:
        'Approves or rejects a pending approval step of a workflow run: only a person holding its role (or more) in the project. Approved, the run goes on; rejected, the step fails.',
      input: z.object({
        slug: Slug,
        approval: z.uuid().describe('The approval id (list_workflow_approvals)'),
        decision: z.enum(['approve', 'reject']),
        comment: z.string().max(2_000).default(''),
      }),
      route: { method: 'POST', url: '/api/projects/:slug/workflow-approvals/:id/approve' },
      slugOf: (args) => args.slug,
      run: (ctx, args) =>
        decideApproval(deps, ctx, {
          slug: args.slug,
          id: args.approval,
          decision: args.decision === 'approve' ? 'approved' : 'rejected',
          comment: args.comment,
        }),
    }),
  ];
}
