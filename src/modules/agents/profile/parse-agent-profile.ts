import { ValidationError } from '../../../platform/errors.ts';
import { formatYamlIssue, parseYaml, readableYamlIssue } from '../../../platform/parse-yaml.ts';
import { AGENT_PROFILE_FILES, AgentProfile } from './agent-profile.ts';

const LISTED = 5;

/**
 * Parses `.orchard/agent.yml`; an empty file is the defaults. The ValidationError's message has one
 * line per problem, `.orchard/agent.yml:7:12: budget.maxCostUsd: expected a number`, and its issues
 * carry `field`, `message`, `line` and `column` (1-based) for editors and the web UI.
 */
export function parseAgentProfile(text: string, file = AGENT_PROFILE_FILES[0]!): AgentProfile {
  const parsed = parseYaml(text, AgentProfile, { error: readableYamlIssue });
  if (parsed.success) return parsed.data;
  const more = parsed.issues.length - LISTED;
  const listed = parsed.issues.slice(0, LISTED).map((issue) => formatYamlIssue(file, issue));
  throw new ValidationError(
    `${file} is not a valid agent profile:\n${listed.join('\n')}${more > 0 ? `\n(and ${more} more)` : ''}`,
    parsed.issues.map((issue) => ({ ...issue, field: issue.field || '(file)' })),
  );
}
