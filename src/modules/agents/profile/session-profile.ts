import type { AgentProfile } from './agent-profile.ts';

/**
 * What a session keeps of `.orchard/agent.yml` as the default branch had it when the session
 * started: what its runs need to set up the workspace the same way every time (follow-ups too),
 * and the inputs of the setup key. Secrets are kept by name (`{ secret: NAME }`), never by value.
 */
export interface SessionProfile {
  /** The default branch's commit the profile was read from; absent when there was none. */
  sha?: string;
  setup: string[];
  cacheKey: string[];
  image: string;
  env: AgentProfile['env'];
}

export function toSessionProfile(profile: AgentProfile, sha: string | undefined): SessionProfile {
  return {
    ...(sha ? { sha } : {}),
    setup: [...profile.setup],
    cacheKey: [...profile.cacheKey],
    image: profile.image,
    env: { ...profile.env },
  };
}
