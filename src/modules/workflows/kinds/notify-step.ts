import { z } from 'zod';
import { notify } from '../../notify/index.ts';
import { ROLES_TO_NOTIFY } from '../file/step-kinds.ts';
import type { KindHandler } from '../run/kind-call.ts';

const With = z.strictObject({
  title: z.string().trim().min(1).max(300),
  body: z.string().max(10_000).default(''),
  to: z.enum(ROLES_TO_NOTIFY).default('developers'),
  link: z.string().max(2_000).optional(),
});
const MIN_ROLE = {
  viewers: 'viewer',
  developers: 'developer',
  maintainers: 'maintainer',
  owners: 'owner',
} as const;

/**
 * `kind: notify`: tells the project's members with the role `to` names (or more), in-app and by
 * email as each prefers. Once per step: run again after a crash, it tells no one twice.
 */
export const notifyStep: KindHandler = async (call) => {
  const args = With.parse(call.with);
  const { deps, ctx, input } = call;
  const told = await notify(deps, undefined, {
    kind: 'workflow_message',
    projectId: input.run.projectId,
    recipients: { projectMembers: { projectId: input.run.projectId, minRole: MIN_ROLE[args.to] } },
    title: args.title,
    body: args.body,
    link: args.link ?? `/operations/${ctx.operationId}`,
    dedupeKey: `workflow:${ctx.operationId}:${ctx.stepKey}`,
  });
  return { notified: told.length };
};
