import { describe, expect, it } from 'vitest';
import { parseAgentProfile } from './parse-agent-profile.ts';
import { plainEnv, secretRefs, underOrchard } from './profile-env.ts';

describe('profile env', () => {
  const { env } = parseAgentProfile(
    'env:\n  NODE_ENV: test\n  RETRIES: 3\n  NPM_TOKEN: { secret: NPM_TOKEN }\n  GIT_CONFIG_COUNT: "0"\n  LANG: fr_FR.UTF-8\n',
  );

  it('splits plain values (for every command) from secret references (for setup only)', () => {
    expect(plainEnv(env)).toEqual({
      NODE_ENV: 'test',
      RETRIES: '3',
      GIT_CONFIG_COUNT: '0',
      LANG: 'fr_FR.UTF-8',
    });
    expect(secretRefs(env)).toEqual([{ variable: 'NPM_TOKEN', secret: 'NPM_TOKEN' }]);
    expect(plainEnv(undefined)).toEqual({});
    expect(secretRefs(undefined)).toEqual([]);
  });

  it("lays Orchard's own variables over the profile's", () => {
    expect(underOrchard(plainEnv(env), { PATH: '/usr/bin', LANG: 'C.UTF-8', GIT_CONFIG_COUNT: '1' })).toEqual(
      {
        NODE_ENV: 'test',
        RETRIES: '3',
        PATH: '/usr/bin',
        LANG: 'C.UTF-8',
        GIT_CONFIG_COUNT: '1',
      },
    );
  });
});
