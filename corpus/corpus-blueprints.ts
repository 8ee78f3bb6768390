/**
 * The build corpus: N varied Blueprints, the same N for the same seed. Together they cover every
 * template, 1 to 12 entities, every field type, relations (including an entity pointing at itself),
 * names that are reserved words in JavaScript, SQL or HTML, non-Latin scripts, names as long as the
 * schema allows, and optional sections left empty. The first cases are laid out so that any run
 * of 24 or more covers all of it; the rest vary at random.
 */

import { listTemplates } from '../src/modules/agents/scaffold/templates.ts';
import {
  type Blueprint,
  type Entity,
  exposeEntity,
  type Field,
  FieldType,
  parseBlueprint,
  type TemplateId,
} from '../src/modules/blueprint/index.ts';

export type Trait =
  | `template:${string}`
  | 'relations'
  | 'self-relation'
  | 'reserved-js'
  | 'reserved-sql'
  | 'reserved-html'
  | 'non-latin'
  | 'long-names'
  | 'empty-section'
  | `field:${FieldType}`;

export interface CorpusCase {
  /** `c007-dashboard`: its place in the corpus and its template. */
  id: string;
  template: TemplateId;
  entities: number;
  traits: Trait[];
  blueprint: Blueprint;
}

/** Templates that keep records: each has 1 to 12 entities. */
const DATA_TEMPLATES: readonly TemplateId[] = ['crud-app', 'api-service', 'dashboard'];

const NOUNS = [
  'Book',
  'Photo',
  'Recipe',
  'Task',
  'Invoice',
  'Guest',
  'Plant',
  'Ticket',
  'Song',
  'Course',
  'Lesson',
  'Vehicle',
  'Trip',
  'Expense',
  'Member',
  'Review',
  'Album',
  'Room',
  'Shift',
  'Garden',
];
const RESERVED = {
  js: [
    'Class',
    'Function',
    'Object',
    'Promise',
    'Constructor',
    'Prototype',
    'Symbol',
    'Null',
    'Return',
    'Await',
  ],
  sql: ['Select', 'Table', 'Order', 'Group', 'User', 'Where', 'Index', 'Limit', 'Column', 'Grant'],
  html: ['Script', 'Style', 'Body', 'Head', 'Template', 'Form', 'Input', 'Option', 'Iframe', 'Slot'],
} as const;
const RESERVED_FIELDS = {
  js: [
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'then',
    'class',
    'function',
    'new',
    'default',
  ],
  sql: ['select', 'from', 'where', 'order', 'group', 'user', 'key', 'limit', 'offset', 'check'],
  html: ['script', 'style', 'title', 'href', 'src', 'body', 'form', 'input', 'onclick', 'innerHTML'],
} as const;
const FIELD_NAMES = [
  'title',
  'name',
  'notes',
  'price',
  'count',
  'dueDate',
  'contact',
  'website',
  'status',
  'done',
  'startsAt',
  'rating',
];
const NON_LATIN = {
  features: [
    '図書館の本',
    'Библиотека рецептов',
    'مكتبة الصور',
    'Λίστα εργασιών',
    '주문 관리',
    'रसोई की किताब',
    'Café & Crème',
  ],
  words: [
    '日本語',
    'Ελληνικά',
    'العربية',
    'Русский',
    'हिन्दी',
    '한국어',
    'עברית',
    'ไทย',
    'Ünïcödé',
    'emoji 🌱',
  ],
  pages: ['À propos', '关于我们', 'О нас', 'Über uns', 'お問い合わせ', 'Παράδειγμα', 'मुखपृष्ठ'],
};
const LONG_ENTITY = 'AnExtremelyLongEntityNameThatFillsForty'; // 39 + 1 below
const LONG_FIELD = 'anExtremelyLongFieldNameThatFillsFortyCh';
const LONG_PAGE = 'A page name that goes on and on until it reaches sixty chars';
const TRICKY_TEXT = [
  "O'Brien & Sons",
  '<b>bold</b> claims',
  'Quotes "inside"',
  'back\\slash',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: text that generated code must not interpolate
  '${template} literal',
  '50% off; DROP TABLE',
];

/** A small deterministic generator (mulberry32), so a seed names a corpus. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Random = ReturnType<typeof random>;

const camel = (pascal: string) => pascal[0]!.toLowerCase() + pascal.slice(1);

/** What one case must exercise, decided before it is built. */
interface Plan {
  template: TemplateId;
  entities: number;
  reserved: ('js' | 'sql' | 'html')[];
  nonLatin: boolean;
  long: boolean;
  emptySection: boolean;
  selfRelation: boolean;
}

/** The first cases, so that any corpus of 24 or more covers every trait. */
function plannedCase(i: number, templates: readonly TemplateId[], seen: Map<TemplateId, number>): Plan {
  const template = templates[i % templates.length]!;
  // How many cases of this template came before: the entity counts climb a ladder per template.
  const nth = seen.get(template) ?? 0;
  seen.set(template, nth + 1);
  const data = DATA_TEMPLATES.includes(template);
  const ladder = [1, 12, 2, 7, 3, 5, 9, 4, 6, 10, 8, 11];
  const entities = data ? ladder[nth % ladder.length]! : (nth + 1) % 2;
  const kinds = ['js', 'sql', 'html'] as const;
  return {
    template,
    entities,
    reserved: i % 4 === 0 ? [kinds[(i / 4) % 3]!] : i % 7 === 3 ? [...kinds] : [],
    nonLatin: i % 3 === 1,
    long: i % 5 === 2,
    emptySection: i % 4 === 3,
    selfRelation: data && entities > 1 && nth % 3 === 1,
  };
}

function randomCase(templates: readonly TemplateId[], rnd: Random): Plan {
  const template = rnd.pick(templates);
  const data = DATA_TEMPLATES.includes(template);
  const entities = data ? rnd.int(1, 12) : template === 'landing-page' ? rnd.int(0, 2) : rnd.int(0, 1);
  const reserved = (['js', 'sql', 'html'] as const).filter(() => rnd.chance(0.25));
  return {
    template,
    entities,
    reserved,
    nonLatin: rnd.chance(0.35),
    long: rnd.chance(0.2),
    emptySection: rnd.chance(0.3),
    selfRelation: data && entities > 1 && rnd.chance(0.2),
  };
}

function entityNames(plan: Plan, rnd: Random): string[] {
  const names: string[] = [];
  const taken = new Set<string>();
  const add = (name: string) => {
    if (names.length >= plan.entities || taken.has(name.toLowerCase())) return;
    taken.add(name.toLowerCase());
    names.push(name);
  };
  for (const kind of plan.reserved) add(rnd.pick(RESERVED[kind]));
  if (plan.long) add(`${LONG_ENTITY}${rnd.int(0, 9)}`);
  let guard = 0;
  while (names.length < plan.entities && guard++ < 200) add(rnd.pick(NOUNS));
  return names;
}

function fieldsFor(
  plan: Plan,
  rnd: Random,
  index: number,
  typesLeft: FieldType[],
  primary: boolean,
): Field[] {
  const count = rnd.int(1, 5);
  const names = new Set<string>();
  const fields: Field[] = [];
  const add = (name: string, type: FieldType) => {
    if (names.has(name.toLowerCase())) return;
    names.add(name.toLowerCase());
    const field: Field = { name, type, required: fields.length === 0 || rnd.chance(0.3) };
    if (type === 'enum') {
      const values = plan.nonLatin
        ? [rnd.pick(NON_LATIN.words), 'plain', rnd.pick(TRICKY_TEXT)]
        : ['low', 'medium', rnd.pick(TRICKY_TEXT)];
      field.enumValues = [...new Set(values)];
    }
    if (type === 'text' && fields.length > 0 && rnd.chance(0.2)) field.unique = true;
    if (rnd.chance(0.3))
      field.description = plan.nonLatin ? rnd.pick(NON_LATIN.words) : rnd.pick(TRICKY_TEXT);
    fields.push(field);
  };
  // The first entity takes the field types no entity has had yet, so every type appears early.
  if (primary) for (const type of typesLeft.splice(0)) add(`${type}Value`, type);
  if (plan.reserved.length && index === 0)
    for (const kind of plan.reserved) add(rnd.pick(RESERVED_FIELDS[kind]), rnd.pick(FieldType.options));
  if (plan.long && index === 0) add(LONG_FIELD, 'text');
  while (fields.length < count)
    add(rnd.pick(FIELD_NAMES) + (fields.length ? String(fields.length) : ''), rnd.pick(FieldType.options));
  return fields;
}

function designTokens(plan: Plan, rnd: Random): Blueprint['sections']['designSystem']['tokens'] {
  const palettes: Record<string, string>[] = [
    { primary: '#2563eb', background: '#ffffff', text: '#0f172a' },
    { primary: '#f59e0b', background: '#111827', text: '#f9fafb' },
    { primary: 'rebeccapurple', background: 'white' },
    { primary: 'rgb(16 185 129)', background: 'hsl(0, 0%, 98%)' },
  ];
  return {
    colors: rnd.pick(palettes),
    fonts: plan.emptySection
      ? {}
      : { body: 'Georgia, "Times New Roman", serif', heading: 'system-ui, sans-serif' },
    fontSizes: {},
    radii: plan.emptySection ? {} : { md: `${rnd.int(0, 16)}px` },
    spacing: plan.emptySection ? {} : { md: '1rem' },
  };
}

function buildCase(i: number, plan: Plan, rnd: Random): CorpusCase {
  const traits = new Set<Trait>([`template:${plan.template}`]);
  const feature = plan.nonLatin
    ? rnd.pick(NON_LATIN.features)
    : plan.long
      ? 'A feature whose name is as long as a feature name may be in a Blueprint: eighty'
      : `${rnd.pick(NOUNS)} keeper ${i}`;
  const bp: Blueprint = {
    schemaVersion: 1,
    template: plan.template,
    feature,
    summary: plan.nonLatin
      ? `${rnd.pick(NON_LATIN.words)} — ${rnd.pick(NON_LATIN.words)}: keep what matters, in any script.`
      : `Keep track of things, with ${rnd.pick(TRICKY_TEXT)} in the text.`,
    sections: {
      dataModel: { entities: [] },
      apiEndpoints: [],
      pages: [],
      uiComponents: plan.emptySection ? [] : [{ name: 'Card', description: 'One record at a glance' }],
      designSystem: { tokens: designTokens(plan, rnd) },
    },
    userStories: [],
    references: [],
    assumptions: plan.emptySection ? [] : [{ text: 'Anyone with the link may use it.', source: 'architect' }],
    openQuestions: [],
  };
  const names = entityNames(plan, rnd);
  const typesLeft = [...FieldType.options];
  const entities: Entity[] = names.map((name, index) => ({
    name,
    ...(rnd.chance(0.5) ? { description: plan.nonLatin ? rnd.pick(NON_LATIN.words) : `Every ${name}` } : {}),
    fields: fieldsFor(plan, rnd, index, typesLeft, index === 0),
    relations: [],
  }));
  for (const field of entities.flatMap((e) => e.fields)) traits.add(`field:${field.type}`);
  // Relations: each later entity may belong to an earlier one, which then has many of it.
  for (let k = 1; k < entities.length; k++) {
    if (!rnd.chance(0.6)) continue;
    const owner = entities[rnd.int(0, k - 1)]!;
    const child = entities[k]!;
    const belongs = camel(owner.name);
    if (child.fields.some((f) => f.name === belongs) || child.relations.some((r) => r.name === belongs))
      continue;
    child.relations.push({ name: belongs, kind: 'belongsTo', target: owner.name });
    const many = `${camel(child.name).slice(0, 35)}Items`;
    if (!owner.fields.some((f) => f.name === many) && !owner.relations.some((r) => r.name === many))
      owner.relations.push({ name: many, kind: 'hasMany', target: child.name });
    traits.add('relations');
  }
  if (plan.selfRelation && entities[1] && !entities[1].fields.some((f) => f.name === 'parent')) {
    entities[1].relations.push({ name: 'parent', kind: 'belongsTo', target: entities[1].name });
    traits.add('self-relation');
    traits.add('relations');
  }
  bp.sections.dataModel.entities = entities;
  for (const entity of entities) exposeEntity(bp, entity.name);
  // Pages of their own: a landing page, a site's pages (non-Latin and long names among them).
  if (plan.template === 'landing-page' || (plan.template === 'crud-app' && rnd.chance(0.5)))
    bp.sections.pages.push({
      name: plan.long ? LONG_PAGE : plan.nonLatin ? rnd.pick(NON_LATIN.pages) : 'Home',
      path: '/',
      purpose: 'Where visitors land',
      kind: 'landing',
      components: plan.emptySection ? [] : ['hero', 'features'],
    });
  if (plan.template === 'static-site') {
    const count = rnd.int(1, 5);
    const titles = ['Home', 'About', 'Guide', 'Contact', 'News'];
    for (let p = 0; p < count; p++) {
      const name =
        p === 1 && plan.nonLatin ? rnd.pick(NON_LATIN.pages) : p === 2 && plan.long ? LONG_PAGE : titles[p]!;
      bp.sections.pages.push({
        name,
        path: p === 0 ? '/' : `/${titles[p]!.toLowerCase()}`,
        purpose: plan.nonLatin ? rnd.pick(NON_LATIN.words) : `The ${titles[p]!.toLowerCase()} page`,
        kind: p === 0 ? 'landing' : 'custom',
        components: [],
      });
    }
  }
  if (plan.template === 'dashboard' && !bp.sections.pages.some((p) => p.kind === 'dashboard'))
    bp.sections.pages.push({
      name: 'Dashboard',
      path: '/dashboard',
      purpose: 'Charts over the records',
      kind: 'dashboard',
      components: [],
    });
  if (plan.long && plan.template === 'crud-app' && !bp.sections.pages.some((p) => p.name === LONG_PAGE)) {
    const page = bp.sections.pages.find((p) => p.kind === 'list');
    if (page) page.name = LONG_PAGE;
  }
  // A reserved word counts only where one was used (a landing page may have no entity to name).
  const used = new Set(entities.flatMap((e) => [e.name, ...e.fields.map((f) => f.name)]));
  for (const kind of ['js', 'sql', 'html'] as const)
    if ([...RESERVED[kind], ...RESERVED_FIELDS[kind]].some((name) => used.has(name)))
      traits.add(`reserved-${kind}`);
  if (plan.nonLatin) traits.add('non-latin');
  if (longestName(bp) >= 60) traits.add('long-names');
  if (plan.emptySection) traits.add('empty-section');
  return {
    id: `c${String(i + 1).padStart(3, '0')}-${plan.template}`,
    template: plan.template,
    entities: entities.length,
    traits: [...traits],
    blueprint: parseBlueprint(bp, `corpus case ${i + 1}`),
  };
}

/** The longest name in the Blueprint, with entity and field names (at most 40) counted as 60. */
export function longestName(bp: Blueprint): number {
  const entities = bp.sections.dataModel.entities;
  const members = [...entities.map((e) => e.name), ...entities.flatMap((e) => e.fields.map((f) => f.name))];
  return Math.max(
    bp.feature.length,
    ...bp.sections.pages.map((p) => p.name.length),
    ...members.map((name) => (name.length >= 39 ? 60 : name.length)),
  );
}

/** `n` cases for `seed`: the same list every time. */
export function corpusBlueprints(n: number, seed = 1): CorpusCase[] {
  const templates = listTemplates().map((t) => t.id);
  const rnd = random(seed);
  const cases: CorpusCase[] = [];
  const seen = new Map<TemplateId, number>();
  for (let i = 0; i < n; i++) {
    const plan = i < 24 ? plannedCase(i, templates, seen) : randomCase(templates, rnd);
    cases.push(buildCase(i, plan, rnd));
  }
  return cases;
}

/** Every trait a corpus must cover (for the coverage test and the runner's report). */
export function requiredTraits(): Trait[] {
  return [
    ...listTemplates().map((t) => `template:${t.id}` as const),
    ...FieldType.options.map((t) => `field:${t}` as const),
    'relations',
    'self-relation',
    'reserved-js',
    'reserved-sql',
    'reserved-html',
    'non-latin',
    'long-names',
    'empty-section',
  ];
}
