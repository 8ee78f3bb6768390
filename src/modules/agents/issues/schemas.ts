import { z } from 'zod';
import { int4 } from '../../../platform/http/int-params.ts';
import { StartAgentSessionBody } from '../sessions/schemas.ts';

export const IssueParams = z.object({ slug: z.string().min(1).max(100), number: int4(1) });

const AssignAgentFields = StartAgentSessionBody.pick({ runtime: true, model: true, budget: true }).extend({
  instructions: z.string().trim().max(30_000).optional(),
});

/**
 * How the agent works on the issue: the issue itself is the task; `instructions` add to it. The
 * body may be left out (Fastify gives a body-less POST as null): every field has a default.
 */
export const AssignAgentBody = AssignAgentFields.nullish().transform(
  (body) => body ?? AssignAgentFields.parse({}),
);
export type AssignAgentBody = z.infer<typeof AssignAgentBody>;
