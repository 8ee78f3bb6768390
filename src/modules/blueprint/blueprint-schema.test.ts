import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.ts';
import {
  Blueprint,
  type BlueprintInput,
  emptyBlueprint,
  migrateBlueprint,
  parseBlueprint,
} from './blueprint-schema.ts';

// biome-ignore lint/suspicious/noExplicitAny: these tests break raw Blueprint JSON on purpose.
type Raw = any;

function gallery(): BlueprintInput {
  return {
    schemaVersion: 1,
    feature: 'Photo gallery',
    summary: 'Visitors like photos',
    sections: {
      dataModel: {
        entities: [
          {
            name: 'Album',
            fields: [{ name: 'title', type: 'text', required: true }],
            relations: [{ name: 'photos', kind: 'hasMany', target: 'Photo' }],
          },
          {
            name: 'Photo',
            fields: [
              { name: 'title', type: 'text', required: true },
              { name: 'status', type: 'enum', required: false, enumValues: ['draft', 'public'] },
            ],
            relations: [{ name: 'album', kind: 'belongsTo', target: 'Album' }],
          },
        ],
      },
      apiEndpoints: [
        { method: 'GET', path: '/api/photos', entity: 'Photo', action: 'list', description: '' },
      ],
      pages: [
        { name: 'Photos', path: '/photos', purpose: '', entity: 'Photo', kind: 'list', components: [] },
      ],
      uiComponents: [{ name: 'PhotoCard', description: 'A photo and its like button' }],
      designSystem: {
        tokens: { colors: { primary: '#2563eb' }, fonts: {}, radii: { md: '8px' }, spacing: {} },
      },
    },
    references: [{ kind: 'url', url: 'https://example.com' }],
    assumptions: ['No accounts', { text: 'Public', source: 'user' }],
    openQuestions: [{ id: 'q1', question: 'Moderation?' }],
  };
}

/** The `field: message` pairs of a failed parse. */
function issuesOf(raw: unknown): string[] {
  try {
    parseBlueprint(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected the Blueprint to be invalid');
}

describe('Blueprint schema', () => {
  it('accepts a complete Blueprint and fills defaults for omitted optional parts', () => {
    const bp = parseBlueprint(gallery());
    expect(bp.sections.dataModel.entities[1]?.fields[0]).toEqual({
      name: 'title',
      type: 'text',
      required: true,
    });
    const minimal = parseBlueprint({ schemaVersion: 1, feature: 'x', summary: '' });
    expect(minimal).toEqual({ ...emptyBlueprint('x') });
    expect(Blueprint.parse(emptyBlueprint())).toEqual(emptyBlueprint());
  });

  it('names the path of every cross-field problem', () => {
    const bad = gallery() as { sections: Raw };
    const entities = bad.sections.dataModel.entities;
    entities.push({ name: 'Photo', fields: [] });
    entities[1].fields.push({ name: 'kind', type: 'enum', required: true });
    entities[1].fields.push({ name: 'title', type: 'text', enumValues: ['a'] });
    entities[1].fields.push({ name: 'id', type: 'integer' });
    entities[1].relations.push({ name: 'owner', kind: 'belongsTo', target: 'User' });
    entities[0].relations.push({ name: 'tags', kind: 'hasMany', target: 'Album' });
    bad.sections.apiEndpoints.push({ method: 'GET', path: '/api/photos', entity: 'Photo', action: 'list' });
    bad.sections.apiEndpoints.push({ method: 'GET', path: '/api/x', entity: 'Nope', action: 'get' });
    bad.sections.pages.push({ name: 'photos', path: '/photos', kind: 'list' });
    expect(issuesOf(bad)).toEqual(
      expect.arrayContaining([
        'sections.dataModel.entities.2.name: another entity is already named Photo',
        'sections.dataModel.entities.1.fields.2.enumValues: an enum field needs at least one value',
        'sections.dataModel.entities.1.fields.3.name: Photo already has a field title',
        'sections.dataModel.entities.1.fields.3.enumValues: only enum fields take enumValues (this one is text)',
        'sections.dataModel.entities.1.fields.4.name: id is reserved (every record gets id, createdAt and updatedAt)',
        'sections.dataModel.entities.1.relations.1.target: no entity named User (entities: Album, Photo, Photo)',
        'sections.dataModel.entities.0.relations.1.target: Album hasMany Album needs Album to have a belongsTo Album relation',
        'sections.apiEndpoints.1.path: GET /api/photos is listed twice',
        'sections.apiEndpoints.2.entity: no entity named Nope (entities: Album, Photo, Photo)',
        'sections.pages.1.name: another page is already named photos',
        'sections.pages.1.path: another page already uses /photos',
        'sections.pages.1.entity: a list page needs the entity it shows',
      ]),
    );
  });

  it('refuses names, paths and tokens that would be unsafe or ambiguous in generated code', () => {
    const bad = gallery() as { sections: Raw; references: Raw[] };
    bad.sections.dataModel.entities[0].name = 'album';
    bad.sections.dataModel.entities[1].fields[0].name = 'Title';
    bad.sections.pages[0].path = '/photos/';
    bad.sections.designSystem.tokens.colors.primary = 'red; } body { display: none';
    bad.sections.designSystem.tokens.fonts.body = 'Inter</style>';
    bad.references[0].url = 'javascript:alert(1)';
    const issues = issuesOf(bad);
    expect(issues).toEqual(
      expect.arrayContaining([
        'sections.dataModel.entities.0.name: use PascalCase letters and digits, e.g. Photo or BlogPost',
        'sections.dataModel.entities.1.fields.0.name: use camelCase letters and digits, e.g. title or dueDate',
        expect.stringMatching(/^sections\.pages\.0\.path: use a path like/),
        expect.stringMatching(/^sections\.designSystem\.tokens\.colors\.primary: use a CSS color/),
        expect.stringMatching(/^sections\.designSystem\.tokens\.fonts\.body: use a CSS font list/),
        'references.0.url: must be an http(s) URL',
      ]),
    );
  });

  it('refuses unknown keys so a typo in a patch is reported instead of dropped', () => {
    const bad = gallery() as Record<string, unknown>;
    bad.colour = 'red';
    expect(issuesOf(bad).join()).toMatch(/colour/);
  });

  it('refuses two entities whose URLs would collide', () => {
    const bad = parseBlueprint.bind(null, {
      schemaVersion: 1,
      sections: { dataModel: { entities: [{ name: 'Person' }, { name: 'People' }] } },
    });
    expect(bad).toThrow(/People and Person would share the URL \/api\/people/);
  });

  it('the error message itself names the paths', () => {
    const bad = gallery() as { sections: Raw };
    bad.sections.pages[0].entity = 'Ghost';
    expect(() => parseBlueprint(bad)).toThrow(
      'Blueprint is invalid: sections.pages.0.entity: no entity named Ghost (entities: Album, Photo)',
    );
  });
});

describe('migrateBlueprint', () => {
  it('accepts the current version', () => {
    expect(migrateBlueprint(gallery()).feature).toBe('Photo gallery');
  });

  it('upgrades an unversioned draft, filling missing sections', () => {
    const bp = migrateBlueprint({
      feature: 'Old',
      sections: { pages: [{ name: 'Home', path: '/', kind: 'landing' }] },
    });
    expect(bp.schemaVersion).toBe(1);
    expect(bp.sections.pages[0]).toMatchObject({ name: 'Home', components: [], purpose: '' });
    expect(bp.sections.dataModel.entities).toEqual([]);
  });

  it('refuses a newer version and non-objects with clear messages', () => {
    expect(() => migrateBlueprint({ schemaVersion: 7 })).toThrow(
      /schemaVersion 7 is newer than this Orchard/,
    );
    expect(() => migrateBlueprint('hello')).toThrow('A Blueprint must be a JSON object');
    expect(() => migrateBlueprint({ schemaVersion: 'one' })).toThrow(ValidationError);
  });
});
