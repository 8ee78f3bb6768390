import { z } from 'zod';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { decideApproval } from './approvals/decide-approval.ts';
import { listApprovals } from './approvals/list-approvals.ts';
import type { WorkflowDeps } from './deps.ts';
import { listWorkflowRuns } from './list-workflow-runs.ts';
import { listWorkflows } from './list-workflows.ts';
import { runWorkflow } from './run-workflow.ts';
import {
  ApprovalParams,
  ApprovalView,
  DecideBody,
  ListApprovalsQuery,
  ListRunsQuery,
  RunWorkflowBody,
  SlugParam,
  WorkflowList,
  WorkflowParams,
  WorkflowRunView,
} from './schemas.ts';

const tags = ['workflows'];

/** Workflow files, their runs and approvals under /api/projects/:slug. */
export function workflowRoutes(deps: WorkflowDeps) {
  return async (app: HttpApp) => {
    app.get(
      '/api/projects/:slug/workflows',
      { schema: { tags, params: SlugParam, response: { 200: WorkflowList } } },
      async (request) => listWorkflows(deps, contextOf(request), request.params.slug),
    );
    app.post(
      '/api/projects/:slug/workflows/:name/runs',
      { schema: { tags, params: WorkflowParams, body: RunWorkflowBody, response: { 201: WorkflowRunView } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await runWorkflow(
              deps,
              contextOf(request),
              request.params.slug,
              request.params.name,
              request.body,
            ),
          ),
    );
    app.get(
      '/api/projects/:slug/workflow-runs',
      {
        schema: {
          tags,
          params: SlugParam,
          querystring: ListRunsQuery,
          response: { 200: z.object({ items: z.array(WorkflowRunView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => listWorkflowRuns(deps.db, contextOf(request), request.params.slug, request.query),
    );
    app.get(
      '/api/projects/:slug/workflow-approvals',
      {
        schema: {
          tags,
          params: SlugParam,
          querystring: ListApprovalsQuery,
          response: { 200: z.object({ items: z.array(ApprovalView), nextCursor: z.null() }) },
        },
      },
      async (request) => listApprovals(deps.db, contextOf(request), request.params.slug, request.query),
    );
    for (const [verb, decision] of [
      ['approve', 'approved'],
      ['reject', 'rejected'],
    ] as const) {
      app.post(
        `/api/projects/:slug/workflow-approvals/:id/${verb}`,
        { schema: { tags, params: ApprovalParams, body: DecideBody, response: { 200: ApprovalView } } },
        async (request) =>
          decideApproval(deps, contextOf(request), {
            slug: request.params.slug,
            id: request.params.id,
            decision,
            comment: request.body.comment,
          }),
      );
    }
  };
}
