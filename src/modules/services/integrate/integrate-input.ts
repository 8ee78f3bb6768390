import { z } from 'zod';
import type { Actor } from '../../../platform/http/actor.ts';
import { ServiceId } from '../catalog.ts';

export const INTEGRATE_KIND = 'services.integrate';

/** `services.integrate` input: the service, its branch, and who asked (their actor runs the delivery). */
export const IntegrateInput = z.object({
  service: ServiceId,
  branch: z.string().min(1),
  requestedBy: z.object({
    userId: z.string().min(1),
    username: z.string().min(1),
    role: z.enum(['admin', 'member']),
  }),
});
export type IntegrateInput = z.infer<typeof IntegrateInput>;

/** The actor the step acts as: the requester, with read and write scopes (never admin). */
export function requesterActor(who: IntegrateInput['requestedBy']): Actor {
  return {
    userId: who.userId,
    username: who.username,
    role: who.role,
    via: 'token',
    scopes: ['read', 'write'],
  };
}

export const integrationBranch = (service: ServiceId) => `orchard/service-${service}`;
