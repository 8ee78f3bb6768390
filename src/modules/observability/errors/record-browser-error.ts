import type { RequestContext } from '../../../platform/context.ts';
import { RateLimitedError } from '../../../platform/errors.ts';
import type { RateLimiter } from '../../../platform/http/rate-limit.ts';
import type { ErrorDeps } from './error-deps.ts';
import { recordErrors } from './record-errors.ts';
import type { BrowserErrorBody } from './schemas.ts';

/**
 * An error in Orchard's own UI, sent by the signed-in person's browser: recorded in the instance
 * scope. Each person has a budget per minute, so a page stuck in an error loop cannot flood it.
 */
export async function recordBrowserError(
  deps: ErrorDeps & { browserLimiter: RateLimiter },
  ctx: RequestContext,
  input: BrowserErrorBody & { userAgent?: string },
) {
  const wait = deps.browserLimiter.take(ctx.actor.userId);
  if (wait > 0)
    throw new RateLimitedError(`Too many error reports from this browser; try again in ${wait} s.`, wait);
  const { groups } = await recordErrors(deps, [
    {
      scope: 'instance',
      type: input.type,
      message: input.message,
      stack: input.stack ?? null,
      time: deps.clock.now(),
      attributes: {
        'orchard.error.source': `browser.${input.source}`,
        ...(input.url ? { 'url.full': input.url } : {}),
        ...(input.componentStack ? { 'react.component_stack': input.componentStack } : {}),
        ...(input.userAgent ? { 'user_agent.original': input.userAgent.slice(0, 500) } : {}),
        'user.name': ctx.actor.username,
      },
    },
  ]);
  return { groupId: groups[0]!.group.id };
}
