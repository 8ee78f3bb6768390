import { describe, expect, it } from 'vitest';
import {
  applyBlueprintPatch,
  type Blueprint,
  emptyBlueprint,
  isReadyToBuild,
} from '../../blueprint/index.ts';
import { autopilotBlueprint } from './autopilot-blueprint.ts';
import { type ArchitectTurn, ruleArchitectTurn } from './rule-architect.ts';

/** Runs turns in order; each turn's patch must turn the previous Blueprint into the next. */
function converse(
  messages: string[],
  start: Blueprint = emptyBlueprint(),
): { bp: Blueprint; turns: ArchitectTurn[] } {
  let bp = start;
  const turns: ArchitectTurn[] = [];
  for (const message of messages) {
    const turn = ruleArchitectTurn(bp, message);
    expect(applyBlueprintPatch(bp, turn.patch)).toEqual(turn.blueprint);
    turns.push(turn);
    bp = turn.blueprint;
  }
  return { bp, turns };
}

const entityNames = (bp: Blueprint) => bp.sections.dataModel.entities.map((e) => e.name);
const pages = (bp: Blueprint) =>
  bp.sections.pages.map((p) => `${p.name} ${p.path} ${p.kind} ${p.entity ?? ''}`.trim());
const endpoints = (bp: Blueprint) => bp.sections.apiEndpoints.map((e) => `${e.method} ${e.path} ${e.action}`);

describe('ruleArchitectTurn', () => {
  it('switching to a template that cannot show some parts drops them, saying so in the reply and the assumptions', () => {
    const start = autopilotBlueprint('A recipe box where I save recipes with ingredients and rate them');
    expect(start.sections.pages.length).toBeGreaterThan(0);
    expect(start.userStories.length).toBeGreaterThan(0);
    const { bp, turns } = converse(['use template api-service'], start);
    expect(bp.template).toBe('api-service');
    expect(bp.sections.pages).toEqual([]);
    expect(bp.userStories).toEqual([]);
    expect(bp.sections.apiEndpoints).toEqual(start.sections.apiEndpoints);
    const note = 'An API has no pages: the pages and browser checks were left out.';
    expect(turns[0]!.reply).toContain('This Blueprint now targets the api-service template.');
    expect(turns[0]!.reply).toContain(note);
    expect(bp.assumptions.at(-1)).toEqual({ text: note, source: 'architect' });

    const site = converse(['use template static-site'], start).bp;
    expect(site.sections.apiEndpoints).toEqual([]);
    expect(site.assumptions.map((a) => (typeof a === 'string' ? a : a.text))).toContain(
      'A static site has no API: the endpoints were left out.',
    );
  });

  it('adding an entity adds its CRUD endpoints and pages, says so, and asks the next question', () => {
    const turn = ruleArchitectTurn(
      emptyBlueprint(),
      'add entity Photo with title:text!, url:url, likes:integer',
    );
    expect(turn.reply).toBe(
      [
        'Added entity Photo (title: text, required; url: url; likes: integer).',
        'Also added the endpoints GET/POST /api/photos, GET/PUT/DELETE /api/photos/:id.',
        'Also added the pages Photos (/photos) and Photo details (/photos/:id).',
        'What should we call this? (for example: set feature Photo gallery)',
      ].join('\n'),
    );
    expect(endpoints(turn.blueprint)).toEqual([
      'GET /api/photos list',
      'POST /api/photos create',
      'GET /api/photos/:id get',
      'PUT /api/photos/:id update',
      'DELETE /api/photos/:id delete',
    ]);
    expect(pages(turn.blueprint)).toEqual([
      'Photos /photos list Photo',
      'Photo details /photos/:id detail Photo',
    ]);
    expect(turn.patch[0]).toMatchObject({ op: 'add', path: '/sections/dataModel/entities/0' });
  });

  it('walks the whole grammar from an empty draft to a ready Blueprint', () => {
    const { bp, turns } = converse([
      'add entity Photo with title:text!, url:url, likes:integer',
      'add field caption:longtext to Photo',
      'remove field caption from Photo',
      'add entity Album with title:text!',
      'Album has many photos',
      'rename entity Photo to Picture',
      'rename field title in Picture to name',
      'add page Gallery at /gallery showing Picture as list',
      'rename page Gallery to Wall',
      'add endpoint GET /api/pictures/popular for Picture - the most liked pictures',
      'remove endpoint GET /api/pictures/popular',
      'set feature Photo gallery\nset summary A gallery where visitors like photos',
      'add assumption Visitors do not need accounts',
      'set color primary #2563eb',
      'set the background colour to white',
      'remove page Wall',
      'remove entity Album',
    ]);
    expect(turns.map((t) => t.patch.length > 0)).toEqual(turns.map(() => true));
    expect(bp.feature).toBe('Photo gallery');
    expect(bp.summary).toBe('A gallery where visitors like photos');
    expect(entityNames(bp)).toEqual(['Picture']);
    const picture = bp.sections.dataModel.entities[0]!;
    expect(picture.fields.map((f) => f.name)).toEqual(['name', 'url', 'likes']);
    // Removing Album removed its relation, endpoints and pages too.
    expect(picture.relations).toEqual([]);
    expect(pages(bp)).toEqual([
      'Pictures /pictures list Picture',
      'Picture details /pictures/:id detail Picture',
    ]);
    expect(endpoints(bp)).toContain('DELETE /api/pictures/:id delete');
    expect(bp.assumptions).toEqual([{ text: 'Visitors do not need accounts', source: 'user' }]);
    expect(bp.sections.designSystem.tokens.colors).toEqual({ primary: '#2563eb', background: 'white' });
    expect(turns.at(-1)?.reply).toMatch(/The Blueprint is ready to build/);
    expect(isReadyToBuild(bp).ready).toBe(true);
  });

  it('renaming an entity carries its relations, conventional paths and page names along', () => {
    const { bp, turns } = converse([
      'add entity Album with title:text!',
      'add entity Photo with title:text!',
      'Album has many Photos',
      'add page Gallery at /gallery showing Photo as list',
      'rename entity Photo to Picture',
    ]);
    expect(turns.at(-1)?.reply).toMatch(/^Renamed entity Photo to Picture, with its endpoints and pages\./);
    expect(bp.sections.dataModel.entities[0]?.relations).toEqual([
      { name: 'photos', kind: 'hasMany', target: 'Picture' },
    ]);
    expect(pages(bp)).toContain('Pictures /pictures list Picture');
    expect(pages(bp)).toContain('Gallery /gallery list Picture');
    expect(endpoints(bp)).toContain('GET /api/pictures/:id get');
  });

  it('answers an open question', () => {
    const start = applyBlueprintPatch(emptyBlueprint(), [
      { op: 'add', path: '/openQuestions/-', value: { id: 'q1', question: 'Are photos public?' } },
    ]);
    const turn = ruleArchitectTurn(start, 'answer q1: yes, public');
    expect(turn.blueprint.openQuestions).toEqual([
      { id: 'q1', question: 'Are photos public?', answer: 'yes, public' },
    ]);
    expect(turn.reply).toMatch(/^Noted your answer to q1 \(Are photos public\?\): yes, public/);
  });

  it("replies “I didn't understand; try …” with an example for what is missing, and changes nothing", () => {
    const turn = ruleArchitectTurn(emptyBlueprint(), 'make it sparkle');
    expect(turn.patch).toEqual([]);
    expect(turn.blueprint).toEqual(emptyBlueprint());
    expect(turn.reply).toBe(
      "I didn't understand “make it sparkle”; try: set feature Photo gallery\nNothing was changed. Say “help” to see every command.",
    );
    const named = ruleArchitectTurn({ ...emptyBlueprint('x'), summary: 'y' }, 'hello');
    expect(named.reply).toMatch(/try: add entity Photo with title:text!, url:url, likes:integer/);
    const halfCommand = ruleArchitectTurn(emptyBlueprint(), 'add page');
    expect(halfCommand.reply).toMatch(/try: add page Gallery at \/gallery showing Photo as list/);
  });

  it('applies a message all-or-nothing', () => {
    const turn = ruleArchitectTurn(emptyBlueprint(), 'set feature Gallery\nwhat is this');
    expect(turn.patch).toEqual([]);
    expect(turn.blueprint.feature).toBe('');
  });

  it('refuses commands that cannot apply, saying why and what to try', () => {
    const { bp } = converse(['add entity Photo with title:text']);
    const cases: [string, RegExp][] = [
      [
        'add field title:text to Photo',
        /^Photo already has a field title\. Try: rename field title in Photo to title2/,
      ],
      ['add field caption to Picture', /^There is no entity named Picture \(entities: Photo\)\./],
      ['remove field nope from Photo', /^Photo has no field nope \(fields: title\)\./],
      ['add entity photo', /^Photo already exists\./],
      ['add page Photos at /elsewhere', /^There is already a page named Photos\./],
      ['add page Wall at /photos', /^Page Photos already uses \/photos\./],
      ['remove page Nope', /^There is no page named Nope \(pages: Photos, Photo details\)\./],
      ['add endpoint GET /api/photos for Photo', /^GET \/api\/photos is already an endpoint\./],
      ['set color primary red;}', /^red;} is not a valid color: use a CSS color/],
      ['set font size h1 huge', /^huge is not a valid text size: use a CSS length/],
      ['answer q9: yes', /^There is no open question q9 \(questions: none\)\./],
      ['add field id:integer to Photo', /^That would make the Blueprint invalid: .*id is reserved/],
    ];
    for (const [message, reply] of cases) {
      const turn = ruleArchitectTurn(bp, message);
      expect(turn.reply, message).toMatch(reply);
      expect(turn.patch, message).toEqual([]);
      expect(turn.blueprint, message).toBe(bp);
    }
  });

  it('on a landing page, a new entity only takes submissions', () => {
    const start = { ...emptyBlueprint(), template: 'landing-page' as const };
    const turn = ruleArchitectTurn(start, 'add entity Signup with email:email! unique');
    expect(endpoints(turn.blueprint)).toEqual(['POST /api/signups create']);
    expect(turn.blueprint.sections.pages).toEqual([]);
  });

  it('lists the grammar on “help” and re-asks on “status”', () => {
    const help = ruleArchitectTurn(emptyBlueprint(), 'help');
    expect(help.reply).toMatch(/^I understand one command per line, for example:\n• /);
    expect(help.reply).toContain('• add entity Photo with title:text!, url:url, likes:integer');
    expect(help.patch).toEqual([]);
    expect(ruleArchitectTurn(emptyBlueprint(), 'status').reply).toBe(
      'What should we call this? (for example: set feature Photo gallery)',
    );
  });

  it('in autopilot, fills every gap with a recorded assumption instead of asking', () => {
    const turn = ruleArchitectTurn(emptyBlueprint(), 'add entity Photo with title:text!', {
      autopilot: true,
    });
    expect(isReadyToBuild(turn.blueprint).ready).toBe(true);
    expect(turn.reply).toMatch(/Autopilot assumed:\n• The feature is called “My app” until you name it\./);
    expect(turn.reply).toMatch(/The Blueprint is ready to build/);
    expect(turn.blueprint.assumptions.every((a) => typeof a !== 'string' && a.source === 'autopilot')).toBe(
      true,
    );
    const questions = applyBlueprintPatch(turn.blueprint, [
      { op: 'add', path: '/openQuestions/-', value: { id: 'q1', question: 'Moderate photos?' } },
    ]);
    const closed = ruleArchitectTurn(questions, 'status', { autopilot: true });
    expect(closed.blueprint.openQuestions[0]?.answer).toMatch(/simplest option/);
    expect(isReadyToBuild(closed.blueprint).ready).toBe(true);
  });

  it('finds a field by the word it was named after, once that word got a safe name', () => {
    const { bp, turns } = converse([
      'add entity Lesson with title:text!, class, default:boolean',
      'remove field class from Lesson',
      'rename field default in Lesson to done',
    ]);
    expect(turns[0]!.reply).toMatch(/classValue: text; defaultValue: boolean/);
    expect(bp.sections.dataModel.entities[0]!.fields.map((f) => f.name)).toEqual(['title', 'done']);
  });
});
