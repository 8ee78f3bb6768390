import { readFirstFileAt, resolveRevision } from '../../git/index.ts';
import { AGENT_PROFILE_FILES, AgentProfile } from './agent-profile.ts';
import { parseAgentProfile } from './parse-agent-profile.ts';

const MAX_PROFILE_BYTES = 64 * 1024;

/**
 * The agent profile of a bare repository at `ref` (branch, tag or sha): `.orchard/agent.yml` parsed,
 * or the defaults when the commit has no such file. An unknown ref is a NotFoundError (not the
 * defaults: a session must not run unconfigured because of a typo), a bad file a ValidationError.
 */
export async function loadAgentProfile(repoPath: string, ref: string): Promise<AgentProfile> {
  const sha = await resolveRevision(repoPath, ref);
  const found = await readFirstFileAt(repoPath, sha, AGENT_PROFILE_FILES, MAX_PROFILE_BYTES);
  // A fresh copy, not DEFAULT_AGENT_PROFILE: callers may adjust what they get.
  if (!found) return AgentProfile.parse({});
  return parseAgentProfile(found.text, found.path);
}
