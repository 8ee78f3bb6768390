import { expect, it } from 'vitest';
import { agentCommand } from './agent-command.ts';

it('reads /agent commands at the start of a comment only', () => {
  expect(agentCommand('/agent rename the CSV header to "Title"')).toBe('rename the CSV header to "Title"');
  expect(agentCommand('  /agent\n\nfix the test\nand the docs  ')).toBe('fix the test\nand the docs');
  expect(agentCommand('/agent')).toBe('');
  expect(agentCommand('/agents are great')).toBeUndefined();
  expect(agentCommand('LGTM, /agent fix the typo')).toBeUndefined();
  expect(agentCommand('/agentic')).toBeUndefined();
});
