import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import type { MatchFacts } from './conversation.ts';
import { loadScenarioFile, parseScenario, ScenarioPlayer } from './scenario.ts';

/** A request as the player sees it: a first user turn, unless `over` says otherwise. */
const facts = (over: Partial<MatchFacts> | string = {}): MatchFacts => {
  const fields = typeof over === 'string' ? { promptText: over, lastUserText: over } : over;
  return { promptText: '', lastUserText: '', lastToolResults: [], assistantTurns: 0, ...fields };
};

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

  it('takes several tool calls, and refuses them beside toolCall or json', () => {
    const calls = [{ name: 'read_file', args: { path: 'a' } }, { name: 'ls' }];
    expect(parseScenario([{ toolCalls: calls }])).toEqual([
      { toolCalls: [calls[0], { name: 'ls', args: {} }] },
    ]);
    expect(errorOf(() => parseScenario([{ toolCall: { name: 'ls' }, toolCalls: calls }])).issues).toEqual([
      {
        field: 'entry 0, field "toolCalls"',
        message: 'use either "toolCall" (one call) or "toolCalls" (a list of calls), not both',
      },
    ]);
    expect(errorOf(() => parseScenario([{ reply: 'x' }, { json: {}, toolCalls: calls }])).message).toContain(
      'entry 1, field "json": use either "toolCalls" or "json"',
    );
    expect(errorOf(() => parseScenario([{ toolCalls: [] }])).issues[0]?.field).toBe(
      'entry 0, field "toolCalls"',
    );
    expect(
      errorOf(() => parseScenario([{ toolCalls: [{ name: 'ls' }, { args: {} }] }])).issues[0]?.field,
    ).toBe('entry 0, field "toolCalls.1.name"');
  });

  it('names the bad match condition, and refuses a match without any', () => {
    expect(errorOf(() => parseScenario([{ match: { turn: -1 }, reply: 'x' }])).issues[0]?.field).toBe(
      'entry 0, field "match.turn"',
    );
    expect(errorOf(() => parseScenario([{ match: { turn: 1.5 }, reply: 'x' }])).issues[0]?.field).toBe(
      'entry 0, field "match.turn"',
    );
    expect(
      errorOf(() => parseScenario([{ match: { lastToolResult: '' }, reply: 'x' }])).issues[0]?.field,
    ).toBe('entry 0, field "match.lastToolResult"');
    // A typo is named, and so is what it leaves the match without.
    expect(errorOf(() => parseScenario([{ match: { lastTool: 'x' }, reply: 'x' }])).issues).toEqual([
      { field: 'entry 0, field "match.lastTool"', message: 'unknown field (a typo?)' },
      { field: 'entry 0, field "match"', message: expect.stringContaining('a match needs at least one of') },
    ]);
    expect(
      errorOf(() => parseScenario([{ reply: 'a' }, { match: { repeat: true }, reply: 'x' }])).issues,
    ).toEqual([
      {
        field: 'entry 1, field "match"',
        message: 'a match needs at least one of contains, lastUser, lastToolResult, tool, turn',
      },
    ]);
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
    prompts.map((p) => player.next(facts(p))?.reply ?? null);

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
    expect(player.next(facts('unrelated'))).toBeNull();
  });

  it('returns null with no scenario at all', () => {
    expect(new ScenarioPlayer().next(facts('hi'))).toBeNull();
  });
});

describe('ScenarioPlayer matching on the latest turn', () => {
  const pick = (player: ScenarioPlayer, request: MatchFacts) => player.next(request)?.reply ?? null;
  const afterTool = (text: string, tool: string | null = 'read_file', turns = 1) =>
    facts({
      promptText: `add CSV export\n${text}`,
      lastToolResults: [{ tool, text }],
      assistantTurns: turns,
    });

  it('lastUser matches the latest user words only, never a tool result nor an earlier turn', () => {
    const player = new ScenarioPlayer(
      parseScenario([{ match: { lastUser: 'add CSV', repeat: true }, reply: 'hit' }]),
    );
    expect(pick(player, facts('please add CSV export'))).toBe('hit');
    // The same words earlier in the conversation (contains would still see them) do not count.
    expect(pick(player, afterTool('file text'))).toBeNull();
    expect(
      pick(player, facts({ promptText: 'add CSV', lastToolResults: [{ tool: null, text: 'add CSV' }] })),
    ).toBeNull();
  });

  it('lastToolResult and tool must hold for the same result of the latest turn', () => {
    const player = new ScenarioPlayer(
      parseScenario([
        { match: { lastToolResult: 'edited', tool: 'edit_file', repeat: true }, reply: 'edit seen' },
        { match: { tool: 'read_file', repeat: true }, reply: 'read seen' },
        { match: { lastToolResult: 'anything', repeat: true }, reply: 'any tool' },
      ]),
    );
    expect(pick(player, afterTool('edited src/a.ts', 'edit_file'))).toBe('edit seen');
    // "edited" came from another tool: the first entry does not apply.
    expect(pick(player, afterTool('edited src/a.ts', 'read_file'))).toBe('read seen');
    expect(pick(player, afterTool('anything at all', null))).toBe('any tool');
    const two = facts({
      lastToolResults: [
        { tool: 'read_file', text: 'edited' },
        { tool: 'edit_file', text: 'ok' },
      ],
    });
    expect(pick(player, two)).toBe('read seen');
    expect(pick(player, facts('edited'))).toBeNull();
  });

  it('turn counts the assistant turns so far, and every named condition must hold', () => {
    const player = new ScenarioPlayer(
      parseScenario([
        { match: { turn: 0, contains: 'CSV', repeat: true }, reply: 'first CSV' },
        { match: { turn: 0, repeat: true }, reply: 'first' },
        { match: { turn: 2, repeat: true }, reply: 'third' },
      ]),
    );
    expect(pick(player, facts('add CSV export'))).toBe('first CSV');
    expect(pick(player, facts('title this chat'))).toBe('first');
    expect(pick(player, afterTool('x', 'ls', 1))).toBeNull();
    expect(pick(player, afterTool('x', 'ls', 2))).toBe('third');
  });

  it('plays the documented three-step tool script, each step once, whatever the history repeats', () => {
    const player = new ScenarioPlayer(
      parseScenario([
        {
          match: { lastUser: 'add CSV export' },
          toolCalls: [{ name: 'read_file', args: { path: 'src/report.ts' } }],
        },
        {
          match: { lastToolResult: 'export function report(' },
          toolCalls: [{ name: 'edit_file', args: { path: 'src/report.ts' } }],
        },
        { match: { lastToolResult: 'edited' }, reply: 'Done.' },
      ]),
    );
    const step = (request: MatchFacts) => {
      const entry = player.next(request);
      return entry?.reply ?? entry?.toolCalls?.map((c) => c.name).join(',') ?? null;
    };
    expect(step(facts('add CSV export'))).toBe('read_file');
    expect(step(afterTool('export function report() {}', 'read_file', 1))).toBe('edit_file');
    expect(step(afterTool('edited src/report.ts', 'edit_file', 2))).toBe('Done.');
    // Used up: a second run of the same conversation gets the default reply until reset.
    expect(step(facts('add CSV export'))).toBeNull();
    player.rewind();
    expect(step(facts('add CSV export'))).toBe('read_file');
  });
});
