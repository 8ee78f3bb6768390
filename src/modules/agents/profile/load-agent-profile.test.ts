import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, gitOk, localRepo } from '../../../../test/git.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { ensureRepository } from '../../git/index.ts';
import { DEFAULT_AGENT_PROFILE } from './agent-profile.ts';
import { loadAgentProfile } from './load-agent-profile.ts';

describe('loadAgentProfile', () => {
  let home: string;
  let work: string;
  let bare: string;
  let withoutProfile: string;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'orchard-profile-'));
    bare = await ensureRepository(home, 'shop');
    work = await localRepo();
    withoutProfile = await commitFiles(work, { 'README.md': '# shop\n' }, 'start');
    await commitFiles(
      work,
      { '.orchard/agent.yml': 'runtime: codex\nsetup: [npm ci]\nenv:\n  KEY: { secret: STRIPE_TEST_KEY }\n' },
      'agent profile',
    );
    await gitOk(['checkout', '-q', '-b', 'broken'], work);
    await commitFiles(
      work,
      { '.orchard/agent.yml': 'runtime: codex\n\nbudget:\n  maxSteps: lots\n' },
      'oops',
    );
    await gitOk(['checkout', '-q', '-b', 'yaml-spelling', 'main'], work);
    await gitOk(['rm', '-q', '.orchard/agent.yml'], work);
    await commitFiles(work, { '.orchard/agent.yaml': 'runtime: gemini-cli\n' }, 'yaml spelling');
    await gitOk(['push', '-q', bare, 'main', 'broken', 'yaml-spelling'], work);
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('parses .orchard/agent.yml at a branch', async () => {
    const profile = await loadAgentProfile(bare, 'main');
    expect(profile).toMatchObject({
      runtime: 'codex',
      setup: ['npm ci'],
      env: { KEY: { secret: 'STRIPE_TEST_KEY' } },
      budget: DEFAULT_AGENT_PROFILE.budget,
    });
    expect((await loadAgentProfile(bare, 'yaml-spelling')).runtime).toBe('gemini-cli');
  });

  it('is the defaults at a commit without the file', async () => {
    const profile = await loadAgentProfile(bare, withoutProfile);
    expect(profile).toEqual(DEFAULT_AGENT_PROFILE);
    expect(Object.isFrozen(profile)).toBe(false);
  });

  it('names the line of a bad value in the file at that ref', async () => {
    const error = await loadAgentProfile(bare, 'broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('.orchard/agent.yml:4:13: budget.maxSteps: expected a number');
  });

  it('refuses a ref the repository does not have instead of using the defaults', async () => {
    await expect(loadAgentProfile(bare, 'no-such-branch')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadAgentProfile(bare, 'main\n.orchard/agent.yml')).rejects.toBeInstanceOf(ValidationError);
  });
});
