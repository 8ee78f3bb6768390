/** The workflows API's answers (src/modules/workflows), from openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type WorkflowList = Answer<'/api/projects/{slug}/workflows', 'get'>;
export type Workflow = ItemOf<WorkflowList>;
export type WorkflowInput = Workflow['inputs'][number];
export type WorkflowIssue = Workflow['errors'][number];
export type WorkflowRun = ItemOf<Answer<'/api/projects/{slug}/workflow-runs', 'get'>>;
export type WorkflowApproval = ItemOf<Answer<'/api/projects/{slug}/workflow-approvals', 'get'>>;
