import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { loadScenarioFile, parseScenario, ScenarioPlayer } from './scenario.ts';

function errorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseScenario', () => {
  it('names the entry index and field of a bad entry', () => {
    const error = errorOf(() => parseScenario([{ reply: 'ok' }, { toolCall: { args: {} } }]));
    expect(error.message).toMatch(/^Invalid mock LLM scenario: entry 1, field "toolCall\.name": /);
    expect(error.issues).toEqual([{ field: 'entry 1, field "toolCall.name"', message: expect.any(String) }]);
  });

  it('rejects unknown keys instead of ignoring a typo', () => {
    const error = errorOf(() => parseScenario([{ replay: 'hello' }]));
    expect(error.issues).toEqual([{ field: 'entry 0, field "replay"', message: 'unknown field (a typo?)' }]);
  });

  it('explains fault fields that do not fit together', () => {
    expect(errorOf(() => parseScenario([{ fault: 'status' }])).message).toContain(
      'entry 0, field "status": fault "status" needs a status code',
    );
    expect(errorOf(() => parseScenario([{ reply: 'x', after: 2 }])).message).toContain(
      'entry 0, field "after"',
    );
    expect(errorOf(() => parseScenario([{ fault: 'status', status: 418 }])).message).toContain(
      'field "status"',
    );
    expect(errorOf(() => parseScenario([{ reply: 'x', json: {} }])).message).toContain(
      'use either "reply" or "json"',
    );
  });

  it('rejects a scenario that is not a list', () => {
    expect(errorOf(() => parseScenario({ reply: 'x' })).issues[0]?.field).toBe('scenario');
  });
});

describe('loadScenarioFile', () => {
  it('reads a YAML list and reports bad files with their path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mock-scenario-'));
    const good = path.join(dir, 'good.yaml');
    await writeFile(good, '- reply: hello\n  chunkSize: 2\n- toolCall: {name: build, args: {target: web}}\n');
    expect(await loadScenarioFile(good)).toEqual([
      { reply: 'hello', chunkSize: 2 },
      { toolCall: { name: 'build', args: { target: 'web' } } },
    ]);
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, '- reply: hello\n- fault: explode\n');
    await expect(loadScenarioFile(bad)).rejects.toThrow(`scenario file ${bad}: entry 1, field "fault"`);
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, '- reply: [unclosed\n');
    await expect(loadScenarioFile(broken)).rejects.toThrow(`${broken} is not valid YAML`);
    await expect(loadScenarioFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(
      'Cannot read mock LLM scenario',
    );
  });
});

describe('ScenarioPlayer', () => {
  const replies = (player: ScenarioPlayer, prompts: string[]) =>
    prompts.map((p) => player.next(p)?.reply ?? null);

  it('answers in order and repeats the last entry forever', () => {
    const player = new ScenarioPlayer(parseScenario([{ reply: 'one' }, { reply: 'two' }]));
    expect(replies(player, ['a', 'b', 'c', 'd'])).toEqual(['one', 'two', 'two', 'two']);
    player.rewind();
    expect(replies(player, ['a'])).toEqual(['one']);
  });

  it('lets a matching entry answer first, once, without moving the sequence', () => {
    const player = new ScenarioPlayer(
      parseScenario([
        { reply: 'one' },
        { match: { contains: 'deploy' }, reply: 'deploying' },
        { reply: 'two' },
      ]),
    );
    expect(replies(player, ['please deploy', 'please deploy', 'hello', 'x'])).toEqual([
      'deploying',
      'one',
      'two',
      'two',
    ]);
  });

  it('keeps answering with a repeating match and takes the first unused match', () => {
    const player = new ScenarioPlayer(
      parseScenario([
        { match: { contains: 'plan' }, reply: 'first plan' },
        { match: { contains: 'plan', repeat: true }, reply: 'any plan' },
      ]),
    );
    expect(replies(player, ['plan', 'plan', 'plan'])).toEqual(['first plan', 'any plan', 'any plan']);
    // Only match entries and no match: nothing scripted, the server answers its default.
    expect(player.next('unrelated')).toBeNull();
  });

  it('returns null with no scenario at all', () => {
    expect(new ScenarioPlayer().next('hi')).toBeNull();
  });
});
