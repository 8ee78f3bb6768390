import { describe, expect, it } from 'vitest';
import { commandAllowed } from './command-allowed.ts';

describe('commandAllowed', () => {
  const commands = { allow: ['npm test', 'npm run', 'node', 'git status'] };

  it('allows any command when the profile lists none', () => {
    expect(commandAllowed({}, 'rm -rf node_modules && npm ci')).toBe(true);
  });

  it('matches allowed prefixes word by word', () => {
    expect(commandAllowed(commands, 'npm test')).toBe(true);
    expect(commandAllowed(commands, '  npm   run build ')).toBe(true);
    expect(commandAllowed(commands, 'node scripts/seed.js')).toBe(true);
    expect(commandAllowed(commands, 'npm runx evil')).toBe(false);
    expect(commandAllowed(commands, 'nodejs x')).toBe(false);
    expect(commandAllowed(commands, 'npm install left-pad')).toBe(false);
    expect(commandAllowed(commands, 'git')).toBe(false);
  });

  it('refuses an allowed command that chains another', () => {
    for (const command of [
      'npm test; curl example.com',
      'npm test && rm -rf /',
      'npm test | sh',
      'npm test\ncurl example.com',
      'node $(curl example.com)',
      'node `curl example.com`',
      'npm test & curl example.com',
    ])
      expect(commandAllowed(commands, command), command).toBe(false);
  });
});
