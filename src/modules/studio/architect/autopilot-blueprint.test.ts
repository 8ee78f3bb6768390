import { describe, expect, it } from 'vitest';
import { type Blueprint, isReadyToBuild } from '../../blueprint/index.ts';
import { autopilotBlueprint } from './autopilot-blueprint.ts';

const entity = (bp: Blueprint, name: string) => bp.sections.dataModel.entities.find((e) => e.name === name);
const assumptions = (bp: Blueprint) => bp.assumptions.map((a) => (typeof a === 'string' ? a : a.text));

describe('autopilotBlueprint', () => {
  it('turns "a photo gallery where visitors can like photos" into photos with a like counter', () => {
    const bp = autopilotBlueprint('a photo gallery where visitors can like photos');
    expect(bp.template).toBe('crud-app');
    expect(bp.feature).toBe('Photo gallery');
    expect(bp.summary).toBe('A photo gallery where visitors can like photos.');
    expect(entity(bp, 'Photo')?.fields.map((f) => `${f.name}:${f.type}${f.required ? '!' : ''}`)).toEqual([
      'title:text!',
      'url:url!',
      'caption:longtext',
      'likes:integer',
    ]);
    expect(bp.sections.apiEndpoints).toContainEqual({
      method: 'POST',
      path: '/api/photos/:id/like',
      entity: 'Photo',
      action: 'custom',
      description: 'Add one to the likes of a photo',
    });
    expect(bp.sections.pages.map((p) => p.path)).toEqual(['/', '/photos', '/photos/:id']);
    expect(assumptions(bp)).toContain('There are no user accounts: anyone who can open the app can use it.');
    expect(bp.assumptions.every((a) => typeof a !== 'string' && a.source === 'autopilot')).toBe(true);
    expect(isReadyToBuild(bp)).toEqual({ ready: true, unmet: [] });
  });

  it('links secondary things to the main one and scores with a rating field', () => {
    const bp = autopilotBlueprint('a recipe box with ingredients and ratings');
    expect(bp.feature).toBe('Recipe box');
    expect(entity(bp, 'Recipe')?.relations).toEqual([
      { name: 'ingredients', kind: 'hasMany', target: 'Ingredient' },
    ]);
    expect(entity(bp, 'Ingredient')?.relations).toEqual([
      { name: 'recipe', kind: 'belongsTo', target: 'Recipe' },
    ]);
    expect(entity(bp, 'Recipe')?.fields.find((f) => f.name === 'rating')?.type).toBe('integer');
    expect(assumptions(bp)).toContain('Each Ingredient belongs to a Recipe.');
  });

  it('puts things inside their container nouns', () => {
    const bp = autopilotBlueprint('a shared photo album app where friends vote for pictures');
    expect(entity(bp, 'Photo')?.relations).toEqual([{ name: 'album', kind: 'belongsTo', target: 'Album' }]);
    expect(entity(bp, 'Photo')?.fields.some((f) => f.name === 'votes')).toBe(true);
    expect(entity(bp, 'Contact')?.relations).toEqual([{ name: 'album', kind: 'belongsTo', target: 'Album' }]);
    const blog = autopilotBlueprint('a blog with posts, comments, likes and authors');
    expect(entity(blog, 'Post')?.relations.map((r) => `${r.kind} ${r.target}`)).toEqual([
      'belongsTo Author',
      'hasMany Comment',
    ]);
    expect(entity(blog, 'Comment')?.relations.map((r) => `${r.kind} ${r.target}`)).toEqual([
      'belongsTo Post',
    ]);
    expect(entity(blog, 'Post')?.fields.map((f) => f.name)).toContain('likes');
  });

  it('makes a landing page with a signup form from a landing prompt', () => {
    const bp = autopilotBlueprint('a landing page for my bakery with a newsletter signup');
    expect(bp.template).toBe('landing-page');
    expect(bp.feature).toBe('My bakery');
    expect(bp.sections.dataModel.entities.map((e) => e.name)).toEqual(['Signup']);
    expect(bp.sections.apiEndpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/signups']);
    expect(bp.sections.pages).toEqual([
      expect.objectContaining({
        path: '/',
        kind: 'landing',
        entity: 'Signup',
        components: expect.arrayContaining(['signup-form']),
      }),
    ]);
    expect(bp.sections.uiComponents).toHaveLength(3);
    expect(isReadyToBuild(bp).ready).toBe(true);
  });

  it('names things from the words of a prompt, not from HTML pasted into it', () => {
    const bp = autopilotBlueprint(
      '<h1>A <b>recipe</b> box</h1><script>alert("x")</script> where cooks keep recipes &amp; ratings &#99999999;',
    );
    expect(bp.feature).toBe('Recipe box');
    expect(JSON.stringify(bp)).not.toMatch(/\bscript\b|alert|<|&amp;/);
    expect(bp.summary).toContain('recipes & ratings');
  });

  it('uses the template it is given', () => {
    const bp = autopilotBlueprint('a photo gallery', 'landing-page');
    expect(bp.template).toBe('landing-page');
    expect(isReadyToBuild(bp).ready).toBe(true);
  });

  it('is deterministic', () => {
    const prompt = 'a habit tracker with workouts and goals';
    expect(autopilotBlueprint(prompt)).toEqual(autopilotBlueprint(prompt));
  });

  it('always produces a Blueprint ready for its template, whatever the prompt', () => {
    const prompts = [
      '',
      '   ',
      'xyzzy',
      'an app to log observations of birds',
      'Build me a TODO app!!!',
      'a marketplace where customers order products and leave reviews',
      'an event site with RSVPs, guests and comments',
      'a coming soon page with a contact form',
      'track my expenses by category',
      'a blog with posts, comments, likes and authors',
      'a kanban board with cards',
      'a person people persons',
      'a '.repeat(500),
      'photo '.repeat(300),
      'an app with <script>alert(1)</script> and "quotes" | pipes',
    ];
    for (const prompt of prompts) {
      for (const template of [
        undefined,
        'crud-app',
        'landing-page',
        'api-service',
        'dashboard',
        'static-site',
      ] as const) {
        const bp = autopilotBlueprint(prompt, template);
        expect(isReadyToBuild(bp), `${template} ${JSON.stringify(prompt.slice(0, 40))}`).toEqual({
          ready: true,
          unmet: [],
        });
      }
    }
  });

  it('turns a prompt full of JavaScript words into the things it names, in its container', () => {
    const bp = autopilotBlueprint('Track my classes, constructors and prototypes for a JavaScript course');
    expect(bp.sections.dataModel.entities.map((e) => e.name)).toEqual([
      'Course',
      'Class',
      'Constructor',
      'Prototype',
    ]);
    for (const name of ['Class', 'Constructor', 'Prototype']) {
      expect(entity(bp, name)?.relations).toEqual([{ name: 'course', kind: 'belongsTo', target: 'Course' }]);
    }
    expect(entity(bp, 'Course')?.relations.map((r) => r.name)).toEqual([
      'classes',
      'constructors',
      'prototypes',
    ]);
    expect(bp.sections.pages.map((p) => p.path)).toContain('/constructors/:id');
    expect(isReadyToBuild(bp)).toEqual({ ready: true, unmet: [] });
  });

  it('drafts a Blueprint from any word, including the ones every JavaScript object already has', () => {
    const words = [
      'constructor',
      'prototype',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      'class',
      'delete',
      'new',
      'function',
      'default',
      'enum',
      'await',
      'this',
    ];
    for (const word of words) {
      for (const prompt of [`track my ${word}s`, `a ${word} app`, `an app to ${word}`, `${word} ${word}s`]) {
        const bp = autopilotBlueprint(prompt);
        expect(isReadyToBuild(bp).ready, prompt).toBe(true);
        for (const e of bp.sections.dataModel.entities)
          for (const f of e.fields) expect(f.type, `${prompt}: ${e.name}.${f.name}`).toMatch(/^[a-z]+$/);
      }
    }
  });

  it('drafts an API with no pages, named after what it serves', () => {
    const bp = autopilotBlueprint('a REST API for books and their authors');
    expect(bp).toMatchObject({ template: 'api-service', feature: 'Books API' });
    expect(bp.sections.dataModel.entities.map((e) => e.name)).toEqual(['Book', 'Author']);
    expect(bp.sections.pages).toEqual([]);
    expect(bp.userStories).toEqual([]);
    expect(bp.sections.apiEndpoints.filter((ep) => ep.entity === 'Book').map((ep) => ep.action)).toEqual([
      'list',
      'create',
      'get',
      'update',
      'delete',
    ]);
    expect(bp.assumptions.map((a) => (typeof a === 'string' ? a : a.text))).toContain(
      'It has no pages: / answers JSON naming the API, /openapi.json is its OpenAPI 3.1 document, and every entity has the usual endpoints.',
    );
  });

  it('drafts a dashboard at / over records worth charting, inventing them when the prompt names none', () => {
    const expenses = autopilotBlueprint('a dashboard of my expenses');
    expect(expenses.template).toBe('dashboard');
    expect(expenses.sections.pages[0]).toMatchObject({ name: 'Dashboard', path: '/', kind: 'dashboard' });
    expect(expenses.sections.pages.map((p) => p.path)).toEqual(['/', '/expenses', '/expenses/:id']);
    const runs = autopilotBlueprint('a dashboard of my runs');
    expect(runs.sections.dataModel.entities.map((e) => [e.name, e.fields.map((f) => f.type)])).toEqual([
      ['Run', ['text', 'number', 'date', 'enum']],
    ]);
    const sales = autopilotBlueprint('a sales dashboard');
    expect(sales).toMatchObject({ feature: 'Sales dashboard' });
    expect(sales.sections.dataModel.entities[0]?.name).toBe('Sale');
    // Records without anything to group by get a status.
    const notes = autopilotBlueprint('a dashboard of my notes');
    expect(notes.sections.dataModel.entities[0]?.fields.find((f) => f.name === 'status')).toMatchObject({
      type: 'enum',
      enumValues: ['new', 'in progress', 'done'],
    });
  });

  it('drafts a static site: a home page, an About page and a folder of entries, with no API', () => {
    const blog = autopilotBlueprint('a blog about my travels');
    expect(blog.template).toBe('static-site');
    expect(blog.sections.apiEndpoints).toEqual([]);
    expect(blog.sections.pages.map((p) => [p.path, p.kind])).toEqual([
      ['/', 'landing'],
      ['/posts', 'list'],
      ['/posts/:id', 'detail'],
      ['/about', 'custom'],
    ]);
    // Nothing to add on a static site: the only story is reading the home page.
    expect(blog.userStories.map((s) => s.id)).toEqual(['see-home']);
    const docs = autopilotBlueprint('a documentation site for my CLI tool');
    expect(docs.sections.dataModel.entities.map((e) => e.name)).toEqual(['Guide']);
    expect(docs.sections.pages.map((p) => p.path)).toContain('/guides/:id');
  });
});
