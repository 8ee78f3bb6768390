import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { DEFAULT_AGENT_PROFILE, DEFAULT_CACHE_KEY_FILES } from './agent-profile.ts';
import { parseAgentProfile } from './parse-agent-profile.ts';

const FULL = `runtime: claude-code
model: anthropic/claude-sonnet-4
budget: { maxSteps: 60, maxTokens: 500000, maxCostUsd: 2.5, maxWallMinutes: 30 }
setup:
  - npm ci
cacheKey: [package-lock.json]
commands:
  allow: [npm test, npm run, node, git status, git diff]
network:
  allow: [registry.npmjs.org, '*.pypi.org']
env:
  NODE_ENV: test
  RETRIES: 3
  VERBOSE: true
  API_KEY: { secret: STRIPE_TEST_KEY }
resources: { cpu: 500m, memory: 2Gi }
image: node:22-bookworm
`;

/** The ValidationError parsing `text` throws. */
function failure(text: string): ValidationError {
  try {
    parseAgentProfile(text);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('parsed without an error');
}

describe('parseAgentProfile', () => {
  it('reads every field of a full profile', () => {
    expect(parseAgentProfile(FULL)).toEqual({
      runtime: 'claude-code',
      model: 'anthropic/claude-sonnet-4',
      budget: { maxSteps: 60, maxTokens: 500_000, maxCostUsd: 2.5, maxWallMinutes: 30 },
      setup: ['npm ci'],
      cacheKey: ['package-lock.json'],
      commands: { allow: ['npm test', 'npm run', 'node', 'git status', 'git diff'] },
      network: { allow: ['registry.npmjs.org', '*.pypi.org'] },
      env: { NODE_ENV: 'test', RETRIES: '3', VERBOSE: 'true', API_KEY: { secret: 'STRIPE_TEST_KEY' } },
      resources: { cpu: '500m', memory: '2Gi' },
      image: 'node:22-bookworm',
    });
  });

  it('is the defaults for an empty file, and fills in what a partial one leaves out', () => {
    expect(parseAgentProfile('')).toEqual(DEFAULT_AGENT_PROFILE);
    expect(parseAgentProfile('# nothing configured yet\n')).toEqual(DEFAULT_AGENT_PROFILE);
    expect(DEFAULT_AGENT_PROFILE).toMatchObject({
      runtime: 'llm-agent',
      model: 'coder',
      budget: { maxSteps: 40, maxTokens: 400_000, maxCostUsd: 2, maxWallMinutes: 20 },
      setup: [],
      cacheKey: DEFAULT_CACHE_KEY_FILES,
      commands: {},
      network: { allow: [] },
      env: {},
      resources: { cpu: '1', memory: '2Gi' },
    });
    const partial = parseAgentProfile('budget:\n  maxSteps: 80\nresources: { cpu: 2 }\n');
    expect(partial.budget).toEqual({ maxSteps: 80, maxTokens: 400_000, maxCostUsd: 2, maxWallMinutes: 20 });
    expect(partial.resources).toEqual({ cpu: '2', memory: '2Gi' });
    expect(Object.isFrozen(DEFAULT_AGENT_PROFILE.cacheKey)).toBe(true);
    partial.cacheKey.push('extra.lock');
    expect(parseAgentProfile('').cacheKey).toEqual(DEFAULT_CACHE_KEY_FILES);
  });

  it('keeps secret env values as references by name', () => {
    const profile = parseAgentProfile('env:\n  API_KEY: { secret: STRIPE_TEST_KEY }\n  PLAIN: x\n');
    expect(profile.env).toEqual({ API_KEY: { secret: 'STRIPE_TEST_KEY' }, PLAIN: 'x' });
    expect(failure('env:\n  API_KEY: { secret: stripe-key }\n').message).toBe(
      '.orchard/agent.yml is not a valid agent profile:\n' +
        '.orchard/agent.yml:2:22: env.API_KEY.secret: is not a secret name (A-Z, 0-9, _)',
    );
    expect(failure('env:\n  API_KEY: { secret: KEY, value: sk_live_1 }\n').message).toContain(
      '.orchard/agent.yml:2:27: env.API_KEY.value: is not a known key (known: secret)',
    );
    expect(failure('env:\n  API_KEY: { secret: sk_live_1 }\n').message).not.toContain('sk_live_1');
    expect(failure('env:\n  API_KEY: [a, b]\n').message).toContain(
      '.orchard/agent.yml:2:12: env.API_KEY: expected a string, a number, true or false, or { secret: NAME }',
    );
    expect(failure('env:\n  ORCHARD_TOKEN: x\n').message).toContain(
      '.orchard/agent.yml:2:3: env.ORCHARD_TOKEN: is reserved for Orchard (ORCHARD_*)',
    );
    for (const name of ['PATH', 'HOME', 'TMPDIR'])
      expect(failure(`env:\n  ${name}: /somewhere\n`).message).toContain(
        `.orchard/agent.yml:2:3: env.${name}: is set by Orchard in the sandbox (PATH, HOME, TMPDIR)`,
      );
    expect(parseAgentProfile('env:\n  Path: x\n  NODE_PATH: y\n').env).toEqual({ Path: 'x', NODE_PATH: 'y' });
    expect(failure('env:\n  1BAD:\n    secret: KEY\n').message).toContain(
      '.orchard/agent.yml:2:3: env.1BAD: is not a valid environment variable name',
    );
  });

  it('names the line and column of a wrong value, nested in block or flow style', () => {
    const block = failure(
      'runtime: llm-agent\nmodel: coder\n\n# limits\nbudget:\n  maxSteps: 40\n  maxCostUsd: "two"\n',
    );
    expect(block.message).toBe(
      '.orchard/agent.yml is not a valid agent profile:\n' +
        '.orchard/agent.yml:7:15: budget.maxCostUsd: expected a number',
    );
    expect(block.issues).toEqual([
      { field: 'budget.maxCostUsd', message: 'expected a number', line: 7, column: 15 },
    ]);
    expect(failure('budget: { maxSteps: 4.5, maxWallMinutes: 0 }\n').message).toBe(
      '.orchard/agent.yml is not a valid agent profile:\n' +
        '.orchard/agent.yml:1:21: budget.maxSteps: must be a whole number\n' +
        '.orchard/agent.yml:1:42: budget.maxWallMinutes: must be more than 0',
    );
    expect(failure('network:\n  allow: registry.npmjs.org\n').message).toContain(
      '.orchard/agent.yml:2:10: network.allow: expected a list',
    );
    expect(failure('setup:\n  - npm ci\n  - 42\n').message).toContain(
      '.orchard/agent.yml:3:5: setup[1]: expected a string',
    );
    expect(failure('cacheKey: [package-lock.json, ../../etc/passwd]\n').message).toContain(
      '.orchard/agent.yml:1:31: cacheKey[1]: must be a path inside the repository (relative, no "..")',
    );
  });

  it('names an unknown key where it is written, with the keys it could have been', () => {
    const typo = failure('runtime: codex\ncomands:\n  allow: [npm test]\n');
    expect(typo.message).toBe(
      '.orchard/agent.yml is not a valid agent profile:\n' +
        '.orchard/agent.yml:2:1: comands: is not a known key (known: runtime, model, budget, setup, cacheKey, ' +
        'commands, network, env, resources, image)',
    );
    expect(typo.issues[0]).toMatchObject({ field: 'comands', line: 2, column: 1 });
    expect(failure('budget:\n  maxSteps: 3\n  maxStep: 4\n').message).toContain(
      '.orchard/agent.yml:3:3: budget.maxStep: is not a known key (known: maxSteps, maxTokens, maxCostUsd, maxWallMinutes)',
    );
  });

  it('lists the valid runtimes when the runtime is not one of them', () => {
    expect(failure('model: coder\nruntime: claude\n').message).toBe(
      '.orchard/agent.yml is not a valid agent profile:\n' +
        '.orchard/agent.yml:2:10: runtime: must be one of: llm-agent, claude-code, codex, gemini-cli, scaffold',
    );
  });

  it('names the line of a YAML syntax error and the file it was given', () => {
    const error = failure('runtime: codex\nbudget: { maxSteps: 4\n');
    expect(error.message).toMatch(
      /^\.orchard\/agent\.yml is not a valid agent profile:\n\.orchard\/agent\.yml:\d+:\d+: /,
    );
    expect(error.issues[0]).toMatchObject({ field: '(file)', line: expect.any(Number) });
    expect(() => parseAgentProfile('runtime: [\n', '.orchard/agent.yaml')).toThrow(
      /^\.orchard\/agent\.yaml is not/,
    );
    expect(failure('runtime: codex\nruntime: scaffold\n').message).toMatch(/agent\.yml:2:1: .*unique/i);
  });

  it('is a ValidationError listing at most five problems', () => {
    const error = failure('a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n');
    expect(error.issues).toHaveLength(7);
    expect(error.message.split('\n')).toHaveLength(7);
    expect(error.message).toMatch(/\n\(and 2 more\)$/);
    expect(error.status).toBe(400);
  });
});
