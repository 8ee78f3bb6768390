/**
 * Autopilot: a landing prompt ("a photo gallery where visitors can like photos") → a plausible,
 * build-ready Blueprint, deterministically. Nouns from a small dictionary become entities, verbs
 * like "like" or "vote" become counters with an endpoint, and every guess is recorded as an
 * assumption instead of being asked.
 */

import {
  type Blueprint,
  clip,
  collectionName,
  emptyBlueprint,
  exposeEntity,
  fillGapsWithAssumptions,
  humanize,
  parseBlueprint,
  parseFieldList,
  pluralizeName,
  singularizeWord,
  type TemplateId,
  toCamelCase,
  tokensFor,
  toPascalCase,
  withArticle,
} from '../../blueprint/index.ts';
import { APP_NOUNS, COUNTER_WORDS, type CounterWord, dictionaryNoun } from './app-nouns.ts';
import { templateFit } from './template-fit.ts';

const CLAUSE = /\b(where|that|which|who|with|for|to|so|in which|and|so that|allowing|letting)\b/i;
const LEAD =
  /^(?:(?:please|build|make|create|generate|write|me|i want|i need|i'd like|we need|an?|the|app|simple|small|little)\s+)+/i;

/** Derives a build-ready Blueprint from a free-text prompt; `template` is inferred when omitted. */
export function autopilotBlueprint(prompt: string, template?: TemplateId): Blueprint {
  const text = wordsOf(prompt).replace(/\s+/g, ' ').trim().slice(0, 2000);
  const chosen: TemplateId = template ?? templateFit(text).template;
  const bp = emptyBlueprint(featureName(text, chosen));
  bp.template = chosen;
  if (text) bp.summary = clip(sentence(text), 2000);
  bp.sections.designSystem.tokens = tokensFor(bp.feature || text);
  const assume = (t: string) => bp.assumptions.push({ text: t, source: 'autopilot' });

  if (chosen === 'landing-page') buildLanding(bp, text, assume);
  else if (chosen === 'static-site') buildSite(bp, text, assume);
  else buildApp(bp, text, assume, chosen);
  const main = bp.sections.dataModel.entities[0];
  // "an app to log observations" has no name of its own: name it after what it keeps.
  const suffix = { 'crud-app': 'tracker', 'api-service': 'API', dashboard: 'dashboard' } as const;
  if (!bp.feature && main && chosen in suffix)
    bp.feature = `${humanize(main.name)} ${suffix[chosen as keyof typeof suffix]}`;
  fillGapsWithAssumptions(bp);
  return parseBlueprint(bp, 'The autopilot Blueprint');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The words of a prompt, without the HTML pasted into it: scripts and styles go whole, other tags
 * leave their text, entities read as their characters. Names, slugs and entities come from words.
 */
export function wordsOf(prompt: string): string {
  return prompt
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?[A-Za-z!][^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      const lower = code.toLowerCase();
      if (lower.startsWith('#')) {
        const point = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
        return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : ' ';
      }
      return ENTITIES[lower] ?? whole;
    })
    .replace(/[<>]/g, ' ');
}

/** What a request for each template starts with, before the words that name the thing. */
const TEMPLATE_LEAD: Partial<Record<TemplateId, RegExp>> = {
  'landing-page': /^(?:(?:landing|marketing|launch)\s+page\s*(?:for|about|of)?\s*)/i,
  'api-service':
    /^(?:(?:rest(?:ful)?|json|http|web|public|private|internal)\s+)*apis?\s*(?:service\s*)?(?:for|of|to|about|that|which)?\s*(?:(?:my|our|the|a|an)\s+)*/i,
  dashboard:
    /^(?:dashboard|analytics|charts?|metrics)\s*(?:of|for|on|about|over|with)?\s*(?:(?:my|our|the|all)\s+)*/i,
};
/** …and what it ends with, when a name was found: "Bookshop inventory API", "Sales dashboard". */
const TEMPLATE_TAIL: Partial<Record<TemplateId, [RegExp, string]>> = {
  'api-service': [/\bapis?\b/i, 'API'],
  dashboard: [/\b(dashboard|analytics|charts?|metrics)\b/i, 'dashboard'],
};

function featureName(text: string, template: TemplateId): string {
  let head = text.replace(LEAD, '');
  const lead = TEMPLATE_LEAD[template];
  const tail = TEMPLATE_TAIL[template];
  const stripped = lead ? head.replace(lead, '') : head;
  head = stripped.split(CLAUSE)[0] ?? '';
  if (tail && stripped !== text.replace(LEAD, '') && head.trim() && !tail[0].test(head))
    head = `${head.trim()} ${tail[1]}`;
  const name = head
    .replace(/[^A-Za-z0-9' -]+/g, ' ')
    .trim()
    .split(/\s+/)
    .slice(0, 6)
    .join(' ');
  return name ? clip(name.charAt(0).toUpperCase() + name.slice(1), 80) : '';
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const sentence = (text: string) => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

interface Mention {
  noun: string;
  at: number;
}

interface CounterMention {
  word: CounterWord;
  at: number;
  /** "like photos" (a verb, followed by its object) rather than "likes" (a noun). */
  verb: boolean;
}

/** Dictionary nouns and counter words in prompt order. */
function scan(text: string): { nouns: Mention[]; counters: CounterMention[] } {
  const tokens = text.toLowerCase().match(/[a-z]+/g) ?? [];
  const nouns: Mention[] = [];
  const counters: CounterMention[] = [];
  tokens.forEach((token, at) => {
    // "Track my classes": a verb here, not the noun for a song.
    if (KEEP_WORDS.test(token) && DETERMINER_WORDS.test(tokens[at + 1] ?? '')) return;
    const counter = COUNTER_WORDS[token];
    if (counter) {
      counters.push({ word: counter, at, verb: !token.endsWith('s') });
      return;
    }
    const noun = dictionaryNoun(token);
    if (noun && !nouns.some((n) => n.noun === noun)) nouns.push({ noun, at });
  });
  return { nouns, counters };
}

function addNoun(bp: Blueprint, noun: string): string {
  const name = toPascalCase(noun);
  const fields = parseFieldList(APP_NOUNS[noun]!.fields);
  if (!fields.ok) throw new Error(`app noun ${noun} has bad fields: ${fields.error}`);
  bp.sections.dataModel.entities.push({
    name,
    description: APP_NOUNS[noun]!.description,
    fields: fields.fields,
    relations: [],
  });
  exposeEntity(bp, name);
  return name;
}

const KEEP =
  '(?:track|tracking|log|logging|manage|managing|organi[sz]e|collect|share|sharing|list|catalog(?:ue)?|record|keep)';
const DETERMINER = '(?:my|our|your|the|all|of|a|an|their)';
const KEEP_WORDS = new RegExp(`^${KEEP}$`, 'i');
const DETERMINER_WORDS = new RegExp(`^${DETERMINER}$`, 'i');
const WORD = '[a-z]{3,30}';
/** "track my classes, constructors and prototypes" → the list after the verb. */
const KEEP_VERB = new RegExp(
  String.raw`\b${KEEP}\s+(?:${DETERMINER}\s+)*(${WORD}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:${DETERMINER}\s+)*${WORD})*)\b`,
  'i',
);

/**
 * Things the prompt keeps that the dictionary does not know: "log observations" → Observation,
 * "track my classes, constructors and prototypes" → Class, Constructor, Prototype.
 */
function fallbackEntities(bp: Blueprint, text: string, assume: (t: string) => void): string[] {
  const list = KEEP_VERB.exec(text)?.[1] ?? '';
  const words = list
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((w) =>
      w
        .replace(new RegExp(`^(?:${DETERMINER}\\s+)+`, 'i'), '')
        .trim()
        .toLowerCase(),
    )
    .filter((w) => w && !CLAUSE.test(w) && !dictionaryNoun(w));
  const names: string[] = [];
  for (const word of words) {
    const name = toPascalCase(singularizeWord(word));
    if (names.includes(name) || bp.sections.dataModel.entities.some((e) => e.name === name)) continue;
    bp.sections.dataModel.entities.push({
      name,
      fields: [
        { name: 'name', type: 'text', required: true },
        { name: 'notes', type: 'longtext', required: false },
      ],
      relations: [],
    });
    exposeEntity(bp, name);
    assume(`The app keeps track of ${pluralizeName(name)}, each with a name and notes.`);
    names.push(name);
  }
  return names;
}

function buildApp(bp: Blueprint, text: string, assume: (t: string) => void, template: TemplateId): void {
  const { nouns, counters } = scan(text);
  const names = nouns.map((m) => addNoun(bp, m.noun));
  for (const name of names) {
    const entity = bp.sections.dataModel.entities.find((e) => e.name === name)!;
    assume(
      `${cap(withArticle(name))} has ${entity.fields.map((f) => humanize(f.name).toLowerCase()).join(', ')}.`,
    );
  }
  const kept = fallbackEntities(bp, text, assume);
  names.push(...kept);
  const containers = nouns.filter((m) => APP_NOUNS[m.noun]?.container).map((m) => toPascalCase(m.noun));
  // The main thing is the first one that is not a container ("an album of photos" is about photos).
  const main = names.find((n) => !containers.includes(n)) ?? names[0];
  if (main) {
    for (const mention of nouns) {
      const name = toPascalCase(mention.noun);
      if (containers.includes(name)) continue;
      const container = containers.find((c) => c !== name);
      const parent =
        APP_NOUNS[mention.noun]?.part && name !== main
          ? main
          : (container ?? (name === main ? undefined : main));
      if (!parent) continue;
      link(bp, name, parent);
      assume(`Each ${name} belongs to ${withArticle(parent)}.`);
    }
    // Things only the prompt named belong to its container, if it has one, and to nothing else.
    const container = containers[0];
    for (const name of container ? kept : []) {
      link(bp, name, container!);
      assume(`Each ${name} belongs to ${withArticle(container!)}.`);
    }
    for (const counter of counters) addCounter(bp, nouns, main, counter, assume);
  }
  if (template === 'api-service') {
    assume(
      'It has no pages: / answers JSON naming the API, /openapi.json is its OpenAPI 3.1 document, and every entity has the usual endpoints.',
    );
    assume('There are no API keys: anyone who can reach the API can use it.');
    return;
  }
  if (template === 'dashboard') {
    chartable(bp, main ?? addDashboardSubject(bp, text, assume), assume);
    bp.sections.pages.unshift({
      name: 'Dashboard',
      path: '/',
      purpose: clip(bp.summary, 500),
      kind: 'dashboard',
      components: ['totals', 'charts'],
    });
    assume(
      'The dashboard at / counts each kind of record and charts them by their enum, yes/no and date fields, with number fields summed.',
    );
  } else {
    bp.sections.pages.unshift({
      name: 'Home',
      path: '/',
      purpose: clip(bp.summary, 500),
      kind: 'landing',
      components: ['hero', 'features'],
    });
  }
  assume('There are no user accounts: anyone who can open the app can use it.');
}

const DASHBOARD_WORDS = '(?:dashboard|analytics|charts?|graphs?|metrics|kpis?|stats|statistics|reports?)';
const DASHBOARD_OF = new RegExp(
  String.raw`\b${DASHBOARD_WORDS}\s+(?:of|for|on|about|over)\s+(?:(?:my|our|the|all|a|an)\s+)*([a-z]{3,30})`,
  'i',
);
const DASHBOARD_BEFORE = new RegExp(String.raw`\b([a-z]{3,30})\s+${DASHBOARD_WORDS}\b`, 'i');
const NOT_SUBJECTS = /^(a|an|the|my|our|simple|small|little|live|new|web|app|sales?)$/i;

/**
 * A dashboard whose prompt names nothing the dictionary knows ("a dashboard of my runs") keeps
 * records of what it names, with fields worth charting.
 */
function addDashboardSubject(bp: Blueprint, text: string, assume: (t: string) => void): string {
  const word = DASHBOARD_OF.exec(text)?.[1] ?? DASHBOARD_BEFORE.exec(text)?.[1];
  const sale = /\bsales?\b/i.test(text);
  const name = sale
    ? 'Sale'
    : word && !NOT_SUBJECTS.test(word)
      ? toPascalCase(singularizeWord(word))
      : 'Entry';
  const fields = parseFieldList(
    sale
      ? 'product:text!, amount:number!, soldOn:date!, channel:enum(online|store|phone), paid:boolean'
      : 'name:text!, amount:number, recordedOn:date!, status:enum(new|in progress|done)',
  );
  if (!fields.ok) throw new Error(`dashboard fields: ${fields.error}`);
  bp.sections.dataModel.entities.push({ name, fields: fields.fields, relations: [] });
  exposeEntity(bp, name);
  assume(
    `The dashboard charts ${pluralizeName(name)}, each with ${fields.fields.map((f) => humanize(f.name).toLowerCase()).join(', ')}.`,
  );
  return name;
}

/** The dashboard's main records get a field to group by when they have none (an enum, yes/no or date). */
function chartable(bp: Blueprint, main: string, assume: (t: string) => void): void {
  const entity = bp.sections.dataModel.entities.find((e) => e.name === main)!;
  const groupable = ['enum', 'boolean', 'date', 'datetime'];
  if (entity.fields.some((f) => groupable.includes(f.type)) || entity.fields.some((f) => f.name === 'status'))
    return;
  entity.fields.push({
    name: 'status',
    type: 'enum',
    required: false,
    enumValues: ['new', 'in progress', 'done'],
  });
  assume(
    `${cap(withArticle(main))} has a status (new, in progress or done), so the dashboard has something to chart.`,
  );
}

const DOCS = /\b(docs|documentation|handbook|wiki|knowledge base|guides?|manual|tutorials?)\b/i;

/**
 * A static site: a home page, an About page, and a folder of Markdown entries for each kind of
 * thing the prompt names ("a blog" → posts, "docs" → guides). Nothing is stored: there is no API.
 */
function buildSite(bp: Blueprint, text: string, assume: (t: string) => void): void {
  const { nouns } = scan(text);
  for (const mention of nouns) addNoun(bp, mention.noun);
  if (!bp.sections.dataModel.entities.length && DOCS.test(text)) {
    bp.sections.dataModel.entities.push({
      name: 'Guide',
      description: 'A page of the documentation',
      fields: [
        { name: 'title', type: 'text', required: true },
        { name: 'body', type: 'longtext', required: false },
      ],
      relations: [],
    });
    exposeEntity(bp, 'Guide');
  }
  bp.sections.pages.unshift({
    name: 'Home',
    path: '/',
    purpose: clip(bp.summary, 500),
    kind: 'landing',
    components: [],
  });
  if (!bp.sections.pages.some((p) => p.path === '/about' || p.name === 'About'))
    bp.sections.pages.push({
      name: 'About',
      path: '/about',
      purpose: clip(`What ${bp.feature || 'this site'} is, and who writes it.`, 500),
      kind: 'custom',
      components: [],
    });
  const folders = bp.sections.dataModel.entities.map((e) => collectionName(e.name));
  assume(
    `Every page is a Markdown file in content/ to rewrite${folders.length ? `; ${folders.map((f) => `content/${f}/`).join(', ')} hold${folders.length === 1 ? 's' : ''} one Markdown file per entry` : ''}. Nothing is stored and there is no API.`,
  );
}

function link(bp: Blueprint, child: string, parent: string): void {
  const entities = bp.sections.dataModel.entities;
  const from = entities.find((e) => e.name === child)!;
  const to = entities.find((e) => e.name === parent)!;
  const name = toCamelCase(parent);
  // A plain `author` text field on a Comment becomes the link to the Author.
  from.fields = from.fields.filter((f) => f.name !== name && f.name !== `${name}Id`);
  from.relations.push({ name, kind: 'belongsTo', target: parent });
  const many = toCamelCase(pluralizeName(child));
  if (!to.fields.some((f) => f.name === many) && !to.relations.some((r) => r.name === many)) {
    to.relations.push({ name: many, kind: 'hasMany', target: child });
  }
}

/** "like photos" → `likes` on Photo (the noun right after the verb, else the main entity). */
function addCounter(
  bp: Blueprint,
  nouns: Mention[],
  main: string,
  counter: CounterMention,
  assume: (t: string) => void,
): void {
  const { word, at, verb } = counter;
  const object = verb ? nouns.find((n) => n.at > at && n.at <= at + 3) : undefined;
  const target = object ? toPascalCase(object.noun) : main;
  const entity = bp.sections.dataModel.entities.find((e) => e.name === target)!;
  if (entity.fields.some((f) => f.name === word.field)) return;
  entity.fields.push({ name: word.field, type: 'integer', required: false });
  if (!word.action) {
    assume(`${cap(withArticle(target))} has a ${word.field} people set in its form.`);
    return;
  }
  const path = `/api/${collectionName(target)}/:id/${word.action}`;
  bp.sections.apiEndpoints.push({
    method: 'POST',
    path,
    entity: target,
    action: 'custom',
    description: `Add one to the ${word.field} of ${withArticle(humanize(target).toLowerCase())}`,
  });
  assume(
    `Anyone can ${word.action} ${withArticle(target)} with one click (POST ${path}); ${word.field} are a plain count, not tied to a person.`,
  );
}

function buildLanding(bp: Blueprint, text: string, assume: (t: string) => void): void {
  const contact = /\b(contact|message|enquir|inquir|get in touch)/i.test(text);
  const form = addNoun(bp, contact ? 'message' : 'signup');
  assume(
    `The page's form stores each ${form} (${contact ? 'a contact message' : 'an email signup'}); only the form can add them.`,
  );
  bp.sections.pages.push({
    name: 'Home',
    path: '/',
    purpose: clip(bp.summary, 500),
    entity: form,
    kind: 'landing',
    components: ['hero', 'features', 'call-to-action', contact ? 'contact-form' : 'signup-form'],
  });
  const feature = bp.feature || 'It';
  bp.sections.uiComponents.push(
    { name: clip(feature, 60), description: clip(bp.summary, 500) || `${feature}, explained in one line.` },
    { name: 'Stay in the loop', description: 'Leave your email and hear first when there is news.' },
    { name: 'No spam', description: 'One short email when something new happens, nothing else.' },
  );
  assume('The feature cards on the landing page are placeholders to rewrite.');
}
