import type { AgentTask } from './agent-runtime.ts';

/**
 * The Blueprint's user stories and their acceptance checks: after the build the browser robot runs
 * every check on the deployed app, so the app must pass them as written (`{{run}}` stands for an
 * id the robot makes up).
 */
export function userStoriesText(doc: AgentTask['blueprint']): string {
  const stories = doc.userStories ?? [];
  if (!stories.length) return '';
  const lines = [
    '## User stories (what was asked; each check runs in a real browser on the deployed app and must pass as written)',
  ];
  for (const story of stories) {
    lines.push(`- ${story.id}: ${story.story}`);
    for (const criterion of story.acceptance) {
      lines.push(`  - ${criterion.text}`);
      if (criterion.check)
        lines.push(`    check at ${criterion.check.path}: ${JSON.stringify(criterion.check.steps)}`);
    }
  }
  return lines.join('\n');
}
