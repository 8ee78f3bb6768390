import type { RequestContext } from '../../../platform/context.ts';
import { ForbiddenError } from '../../../platform/errors.ts';

/** LLM providers and their keys are instance-wide: only instance admins change them. */
export function requireInstanceAdmin(ctx: RequestContext) {
  if (ctx.actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may manage LLM providers and keys.');
}
