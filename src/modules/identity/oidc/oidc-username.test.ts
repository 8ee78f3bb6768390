import { describe, expect, it } from 'vitest';
import { usernameCandidates } from './oidc-username.ts';

const RULE = /^[a-z0-9][a-z0-9_.-]{0,38}$/;

describe('usernames for accounts made by single sign-on', () => {
  it('starts from the preferred username, else the email, made to fit the rules, then numbers it', () => {
    const names = usernameCandidates({ preferredUsername: 'Ann Lee', email: 'x@corp.example' });
    expect(names.slice(0, 3)).toEqual(['ann-lee', 'ann-lee-2', 'ann-lee-3']);
    expect(names.at(-1)).toMatch(/^ann-lee-[0-9a-f]{6}$/);
    expect(usernameCandidates({ preferredUsername: null, email: 'Bob.Smith+x@corp.example' })[0]).toBe(
      'bob.smith-x',
    );
    expect(usernameCandidates({ preferredUsername: '---', email: null })[0]).toBe('user');
  });

  it('never gives a name kept for agents, nor one too long, whatever the wish', () => {
    expect(usernameCandidates({ preferredUsername: 'agent-shop', email: null })[0]).toBe('user-agent-shop');
    for (const wish of ['x'.repeat(100), 'Ünïcödé names', '_lead', '.dots.', 'agent-'.repeat(10)])
      for (const name of usernameCandidates({ preferredUsername: wish, email: null }))
        expect(name, wish).toMatch(RULE);
  });
});
