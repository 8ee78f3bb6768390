import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../blueprint/index.ts';
import { type Command, commandLines, parseCommand } from './command-grammar.ts';

function parsed(line: string): Command {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`${line}: ${result.error}`);
  return result.command;
}

const photoFields: FieldSpec[] = [
  { name: 'title', type: 'text', required: false },
  { name: 'url', type: 'url', required: false },
  { name: 'likes', type: 'integer', required: false },
];

describe('command grammar', () => {
  it.each<[string, Command]>([
    [
      'add entity Photo with title:text, url:url, likes:integer',
      { kind: 'addEntity', name: 'Photo', fields: photoFields },
    ],
    [
      'Add an entity photos with title:text, url:url and likes:integer.',
      { kind: 'addEntity', name: 'Photo', fields: photoFields },
    ],
    [
      'please create a Photo entity with title:string, url:link, likes:int',
      { kind: 'addEntity', name: 'Photo', fields: photoFields },
    ],
    ['new model blog post', { kind: 'addEntity', name: 'BlogPost', fields: [] }],
    [
      'add entity Task with title:text!, done, due date, status:enum(todo|doing|done) required, code unique',
      {
        kind: 'addEntity',
        name: 'Task',
        fields: [
          { name: 'title', type: 'text', required: true },
          { name: 'done', type: 'boolean', required: false },
          { name: 'dueDate', type: 'date', required: false },
          { name: 'status', type: 'enum', required: true, enumValues: ['todo', 'doing', 'done'] },
          { name: 'code', type: 'text', required: false, unique: true },
        ],
      },
    ],
    [
      'add field caption:longtext to Photo',
      {
        kind: 'addFields',
        entity: 'Photo',
        fields: [{ name: 'caption', type: 'longtext', required: false }],
      },
    ],
    [
      'add fields caption and taken at:datetime to the photos',
      {
        kind: 'addFields',
        entity: 'Photo',
        fields: [
          { name: 'caption', type: 'text', required: false },
          { name: 'takenAt', type: 'datetime', required: false },
        ],
      },
    ],
    ['remove field caption from Photo', { kind: 'removeField', entity: 'Photo', field: 'caption' }],
    ['delete the field Caption from the photo', { kind: 'removeField', entity: 'Photo', field: 'caption' }],
    ['rename entity Photo to Picture', { kind: 'renameEntity', from: 'Photo', to: 'Picture' }],
    [
      'rename field title in Photo to name',
      { kind: 'renameField', entity: 'Photo', from: 'title', to: 'name' },
    ],
    ['rename field Photo.title to name', { kind: 'renameField', entity: 'Photo', from: 'title', to: 'name' }],
    ['remove entity Photo', { kind: 'removeEntity', name: 'Photo' }],
    ['drop the model photos', { kind: 'removeEntity', name: 'Photo' }],
    [
      'each Photo belongs to an Album',
      { kind: 'addRelation', entity: 'Photo', relation: 'belongsTo', target: 'Album' },
    ],
    ['Album has many photos', { kind: 'addRelation', entity: 'Album', relation: 'hasMany', target: 'Photo' }],
    [
      'add page Gallery at /gallery showing Photo as list',
      { kind: 'addPage', name: 'Gallery', path: '/gallery', entity: 'Photo', pageKind: 'list' },
    ],
    [
      'add a page Photo wall as list for photos at /wall',
      { kind: 'addPage', name: 'Photo wall', path: '/wall', entity: 'Photo', pageKind: 'list' },
    ],
    ['add a landing page Home at /', { kind: 'addPage', name: 'Home', path: '/', pageKind: 'landing' }],
    ['add a list page for photos', { kind: 'addPage', name: '', entity: 'Photo', pageKind: 'list' }],
    ['remove page Gallery', { kind: 'removePage', name: 'Gallery' }],
    ['rename page Gallery to Wall', { kind: 'renamePage', from: 'Gallery', to: 'Wall' }],
    ['move page Gallery to /wall', { kind: 'movePage', name: 'Gallery', path: '/wall' }],
    ['set the path of page Gallery to /wall', { kind: 'movePage', name: 'Gallery', path: '/wall' }],
    [
      'add endpoint GET /api/photos/popular for Photo',
      { kind: 'addEndpoint', method: 'GET', path: '/api/photos/popular', entity: 'Photo' },
    ],
    [
      'add an endpoint post /api/photos/:id/like for the Photo - adds a like',
      {
        kind: 'addEndpoint',
        method: 'POST',
        path: '/api/photos/:id/like',
        entity: 'Photo',
        description: 'adds a like',
      },
    ],
    [
      'remove endpoint GET /api/photos/popular',
      { kind: 'removeEndpoint', method: 'GET', path: '/api/photos/popular' },
    ],
    [
      'add component PhotoCard - a photo and its like button',
      { kind: 'addComponent', name: 'PhotoCard', description: 'a photo and its like button' },
    ],
    ['set feature Photo gallery', { kind: 'setFeature', text: 'Photo gallery' }],
    ['set the feature name to Photo gallery', { kind: 'setFeature', text: 'Photo gallery' }],
    ['call it Snapshots!', { kind: 'setFeature', text: 'Snapshots!' }],
    [
      'set summary A gallery where visitors like photos.',
      { kind: 'setSummary', text: 'A gallery where visitors like photos.' },
    ],
    ['summary: Photos, liked.', { kind: 'setSummary', text: 'Photos, liked.' }],
    ['use the landing page template', { kind: 'setTemplate', template: 'landing-page' }],
    ['use template api-service', { kind: 'setTemplate', template: 'api-service' }],
    ['use the dashboard template', { kind: 'setTemplate', template: 'dashboard' }],
    ['set template static site', { kind: 'setTemplate', template: 'static-site' }],
    [
      'add page Numbers at /numbers as dashboard',
      { kind: 'addPage', name: 'Numbers', path: '/numbers', pageKind: 'dashboard' },
    ],
    [
      'add assumption Visitors do not need accounts',
      { kind: 'addAssumption', text: 'Visitors do not need accounts' },
    ],
    ['assume that photos are public.', { kind: 'addAssumption', text: 'photos are public.' }],
    ['answer q1: yes, public', { kind: 'answer', id: 'q1', answer: 'yes, public' }],
    ['q2: no', { kind: 'answer', id: 'q2', answer: 'no' }],
    ['set color primary #2563eb', { kind: 'setToken', group: 'colors', token: 'primary', value: '#2563eb' }],
    [
      'set the background colour to white',
      { kind: 'setToken', group: 'colors', token: 'background', value: 'white' },
    ],
    [
      'set heading font to Georgia, serif',
      { kind: 'setToken', group: 'fonts', token: 'heading', value: 'Georgia, serif' },
    ],
    ['set radius md 8px', { kind: 'setToken', group: 'radii', token: 'md', value: '8px' }],
    // `font size` is a group of its own, not the font named `size`.
    ['set font size h1 2.5rem', { kind: 'setToken', group: 'fontSizes', token: 'h1', value: '2.5rem' }],
    ['set body text size to 17px', { kind: 'setToken', group: 'fontSizes', token: 'body', value: '17px' }],
    [
      'set small font-size: 0.8rem',
      { kind: 'setToken', group: 'fontSizes', token: 'small', value: '0.8rem' },
    ],
    ['help', { kind: 'help' }],
    ["what's missing?", { kind: 'status' }],
  ])('%s', (line, command) => {
    expect(parsed(line)).toEqual(command);
  });

  it('explains a malformed command with an example of that command', () => {
    expect(parseCommand('add entity Photo with title:picture')).toEqual({
      ok: false,
      error: expect.stringMatching(/^"picture" is not a field type \(use one of text, longtext/),
      example: 'add entity Photo with title:text!, url:url, likes:integer',
    });
    expect(parseCommand('add field to Photo')).toMatchObject({
      ok: false,
      example: 'add field caption:longtext to Photo',
    });
    expect(parseCommand('add entity Task with status:enum')).toMatchObject({
      ok: false,
      error: 'enum field status needs values, e.g. status:enum(draft|published)',
    });
    expect(parseCommand('add endpoint FETCH /x')).toMatchObject({
      ok: false,
      example: expect.stringMatching(/^add endpoint GET/),
    });
  });

  it('gives fields named by reserved words a safe name, and knows no type called constructor', () => {
    expect(parsed('add entity Class with constructor:text!, class, default:boolean, to string')).toEqual({
      kind: 'addEntity',
      name: 'Class',
      fields: [
        { name: 'constructorValue', type: 'text', required: true },
        { name: 'classValue', type: 'text', required: false },
        { name: 'defaultValue', type: 'boolean', required: false },
        { name: 'toStringValue', type: 'text', required: false },
      ],
    });
    expect(parsed('rename field title in Lesson to class')).toEqual({
      kind: 'renameField',
      entity: 'Lesson',
      from: 'title',
      to: 'classValue',
    });
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(parseCommand(`add entity Photo with title:${type}`)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/is not a field/),
      });
    }
  });

  it('has no example when it cannot tell what was meant', () => {
    expect(parseCommand('make it pop')).toEqual({ ok: false, error: 'I didn\'t understand "make it pop"' });
  });

  it('reads one command per line', () => {
    expect(commandLines('set feature X\n\n  set summary Y  \r\n')).toEqual([
      'set feature X',
      'set summary Y',
    ]);
  });

  it('understands every example in docs/architect-grammar.md', () => {
    const doc = readFileSync(new URL('../../../../docs/architect-grammar.md', import.meta.url), 'utf8');
    const examples = doc
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Command'))
      .flatMap((line) => [...(line.split('|').at(-2) ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(examples.length).toBeGreaterThan(30);
    for (const example of examples) expect(parseCommand(example), example).toMatchObject({ ok: true });
  });
});
