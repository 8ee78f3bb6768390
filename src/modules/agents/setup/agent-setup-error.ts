import { DomainError } from '../../../platform/errors.ts';

/**
 * A session's workspace could not be set up as `.orchard/agent.yml` asks (a setup command failed,
 * a secret it names is missing): the session stops before its agent starts. The message never
 * holds a secret's value (setup output is masked before it is quoted).
 */
export class AgentSetupError extends DomainError {
  readonly code = 'agent_setup_failed';
  readonly status = 422;
}
