import type { Actor } from './http/actor.ts';

/** Who did something and where the request came from; use cases take it to check and audit. */
export interface RequestContext {
  actor: Actor;
  requestId?: string;
  ip?: string;
}
