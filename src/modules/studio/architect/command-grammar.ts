/**
 * The rule-based Architect's command grammar (documented in docs/architect-grammar.md): one line of
 * chat → one typed Command. Parsing is purely syntactic; whether `Photo` exists is decided when the
 * command is applied. Matching is case-insensitive and tolerates articles and polite filler.
 */

import { lookupTable } from '../../../platform/lookup-table.ts';
import {
  type FieldSpec,
  type FieldType,
  type HttpMethod,
  memberName,
  type PageKind,
  parseFieldList,
  singularizeName,
  type TemplateId,
  toCamelCase,
  toPascalCase,
} from '../../blueprint/index.ts';

export type TokenGroup = 'colors' | 'fonts' | 'fontSizes' | 'radii' | 'spacing';

export type Command =
  | { kind: 'addEntity'; name: string; fields: FieldSpec[] }
  | { kind: 'removeEntity'; name: string }
  | { kind: 'renameEntity'; from: string; to: string }
  | { kind: 'addFields'; entity: string; fields: FieldSpec[] }
  | { kind: 'removeField'; entity: string; field: string }
  | { kind: 'renameField'; entity: string; from: string; to: string }
  | { kind: 'addRelation'; entity: string; relation: 'belongsTo' | 'hasMany'; target: string }
  | { kind: 'addPage'; name: string; path?: string; entity?: string; pageKind?: PageKind }
  | { kind: 'removePage'; name: string }
  | { kind: 'renamePage'; from: string; to: string }
  | { kind: 'movePage'; name: string; path: string }
  | { kind: 'addEndpoint'; method: HttpMethod; path: string; entity?: string; description?: string }
  | { kind: 'removeEndpoint'; method: HttpMethod; path: string }
  | { kind: 'addComponent'; name: string; description: string }
  | { kind: 'removeComponent'; name: string }
  | { kind: 'setFeature'; text: string }
  | { kind: 'setSummary'; text: string }
  | { kind: 'setTemplate'; template: TemplateId }
  | { kind: 'addAssumption'; text: string }
  | { kind: 'answer'; id: string; answer: string }
  | { kind: 'setToken'; group: TokenGroup; token: string; value: string }
  | { kind: 'help' }
  | { kind: 'status' };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string; example?: string };

const A = String.raw`(?:(?:a|an|the)\s+)?`;
const NAME = '([A-Za-z][A-Za-z0-9 _-]*?)';
const METHOD = '(GET|POST|PUT|PATCH|DELETE)';
/** Between a setting and its value: `set summary X`, `set summary: X`, `set summary to X`. */
const SEP = String.raw`(?:\s*[:=]\s*|\s+(?:to|as|is)\s+|\s+)`;
const re = (source: string) => new RegExp(`^${source}$`, 'i');

const entity = (raw: string) => singularizeName(toPascalCase(raw));
const TOKEN_GROUPS = lookupTable<TokenGroup>({
  color: 'colors',
  colour: 'colors',
  font: 'fonts',
  'font size': 'fontSizes',
  'font-size': 'fontSizes',
  'text size': 'fontSizes',
  size: 'fontSizes',
  radius: 'radii',
  spacing: 'spacing',
  space: 'spacing',
});

/** A token group as typed; `font size` before `font`, or `set font size h1 2rem` would set a font. */
const TOKEN_GROUP = String.raw`colou?r|(?:font|text)(?:\s+|-)size|font|size|radius|spacing|space`;

interface Rule {
  /** A loose prefix telling what the user meant even when the line does not parse. */
  intent: RegExp;
  pattern: RegExp;
  build(m: RegExpExecArray): Command | string;
  example: string;
  /** Free text is read as typed, trailing punctuation included. */
  freeText?: boolean;
}

const fieldsOr = (list: string | undefined, make: (fields: FieldSpec[]) => Command): Command | string => {
  if (!list) return make([]);
  const parsed = parseFieldList(list);
  return parsed.ok ? make(parsed.fields) : parsed.error;
};

export const GRAMMAR: Rule[] = [
  {
    intent: /^(help|commands)\b/i,
    pattern: re(String.raw`(?:help|commands|\?|what can i (?:say|do)\??)`),
    build: () => ({ kind: 'help' }),
    example: 'help',
  },
  {
    intent: /^(status|next)\b/i,
    pattern: re(String.raw`(?:status|next|what'?s (?:missing|next)\??|is it ready\??|ready\??)`),
    build: () => ({ kind: 'status' }),
    example: "what's missing?",
  },
  {
    intent: /^(add|create|new)\s+(a |an |the )?(\w+ )?(entity|model|table)\b/i,
    pattern: re(
      String.raw`(?:add|create|new)\s+${A}(?:(?:entity|model|table)\s+${NAME}|${NAME}\s+(?:entity|model|table))(?:\s+(?:with|having|that has)\s+(?:fields?\s+)?(.+)|\s*:\s*(.+))?`,
    ),
    build: (m) =>
      fieldsOr(m[3] ?? m[4], (fields) => ({ kind: 'addEntity', name: entity(m[1] ?? m[2] ?? ''), fields })),
    example: 'add entity Photo with title:text!, url:url, likes:integer',
  },
  {
    intent: /^(add|create)\s+(a |an |the |new )?(fields?|attributes?|columns?|propert(y|ies))\b/i,
    pattern: re(
      String.raw`(?:add|create)\s+${A}(?:new\s+)?(?:fields?|attributes?|columns?|propert(?:y|ies))\s+(.+?)\s+(?:to|on|in)\s+${A}${NAME}`,
    ),
    build: (m) => fieldsOr(m[1], (fields) => ({ kind: 'addFields', entity: entity(m[2]!), fields })),
    example: 'add field caption:longtext to Photo',
  },
  {
    intent: /^(remove|delete|drop)\s+(a |an |the )?(field|attribute|column|property)\b/i,
    pattern: re(
      String.raw`(?:remove|delete|drop)\s+${A}(?:field|attribute|column|property)\s+${NAME}\s+(?:from|of|on|in)\s+${A}${NAME}`,
    ),
    build: (m) => ({ kind: 'removeField', field: toCamelCase(m[1]!), entity: entity(m[2]!) }),
    example: 'remove field caption from Photo',
  },
  {
    intent: /^rename\s+(the )?(field|attribute|column|property)\b/i,
    pattern: re(
      String.raw`rename\s+${A}(?:field|attribute|column|property)\s+${NAME}\s+(?:in|of|on|from)\s+${A}${NAME}\s+to\s+${NAME}`,
    ),
    build: (m) => ({
      kind: 'renameField',
      from: toCamelCase(m[1]!),
      entity: entity(m[2]!),
      to: memberName(m[3]!),
    }),
    example: 'rename field title in Photo to name',
  },
  {
    intent: /^rename\s+(field\s+)?\w+\.\w+/i,
    pattern: re(String.raw`rename\s+(?:field\s+)?(\w+)\.(\w+)\s+to\s+(\w+)`),
    build: (m) => ({
      kind: 'renameField',
      entity: entity(m[1]!),
      from: toCamelCase(m[2]!),
      to: memberName(m[3]!),
    }),
    example: 'rename field Photo.title to name',
  },
  {
    intent: /^rename\s+(the )?(entity|model|table)\b/i,
    pattern: re(String.raw`rename\s+${A}(?:entity|model|table)\s+${NAME}\s+to\s+${NAME}`),
    build: (m) => ({ kind: 'renameEntity', from: entity(m[1]!), to: entity(m[2]!) }),
    example: 'rename entity Photo to Picture',
  },
  {
    intent: /^(remove|delete|drop)\s+(the )?(entity|model|table)\b/i,
    pattern: re(String.raw`(?:remove|delete|drop)\s+${A}(?:entity|model|table)\s+${NAME}`),
    build: (m) => ({ kind: 'removeEntity', name: entity(m[1]!) }),
    example: 'remove entity Photo',
  },
  {
    intent: /\bbelongs\s+to\b/i,
    pattern: re(String.raw`(?:each\s+|every\s+|an?\s+|the\s+)?${NAME}\s+belongs\s+to\s+${A}${NAME}`),
    build: (m) => ({
      kind: 'addRelation',
      entity: entity(m[1]!),
      relation: 'belongsTo',
      target: entity(m[2]!),
    }),
    example: 'Photo belongs to Album',
  },
  {
    intent: /\bhas\s+many\b/i,
    pattern: re(String.raw`(?:each\s+|every\s+|an?\s+|the\s+)?${NAME}\s+has\s+many\s+${NAME}`),
    build: (m) => ({
      kind: 'addRelation',
      entity: entity(m[1]!),
      relation: 'hasMany',
      target: entity(m[2]!),
    }),
    example: 'Album has many Photos',
  },
  {
    intent: /^(add|create|new)\s+(a |an |the )?(\w+ )?page\b/i,
    pattern: re(
      String.raw`(?:add|create|new)\s+${A}(?:(list|detail|form|landing|custom|dashboard)\s+)?page\s+(.+)`,
    ),
    build: (m) => buildPage(m[2]!, m[1]),
    example: 'add page Gallery at /gallery showing Photo as list',
  },
  {
    intent: /^(remove|delete|drop)\s+(the )?page\b/i,
    pattern: re(String.raw`(?:remove|delete|drop)\s+${A}page\s+(.+)`),
    build: (m) => ({ kind: 'removePage', name: m[1]!.trim() }),
    example: 'remove page Gallery',
  },
  {
    intent: /^rename\s+(the )?page\b/i,
    pattern: re(String.raw`rename\s+${A}page\s+(.+?)\s+to\s+(.+)`),
    build: (m) => ({ kind: 'renamePage', from: m[1]!.trim(), to: m[2]!.trim() }),
    example: 'rename page Gallery to Wall',
  },
  {
    intent: /^(move\s+(the\s+)?page|set\s+(the\s+)?path)\b/i,
    pattern: re(
      String.raw`(?:move\s+${A}page\s+(.+?)\s+to|set\s+${A}path\s+(?:of|for)\s+${A}page\s+(.+?)${SEP})\s*(\/\S*)`,
    ),
    build: (m) => ({ kind: 'movePage', name: (m[1] ?? m[2])!.trim(), path: m[3]! }),
    example: 'move page Gallery to /gallery',
  },
  {
    intent: /^(add|create|new)\s+(an |the )?(api\s+)?(endpoint|route)\b/i,
    pattern: re(
      String.raw`(?:add|create|new)\s+${A}(?:api\s+)?(?:endpoint|route)\s+${METHOD}\s+(\/\S*)(?:\s+(?:for|on)\s+${A}([A-Za-z][A-Za-z0-9]*))?(?:\s*(?:[-—–:]|\bthat\b|\bwhich\b|\bto\b)\s*(.+))?`,
    ),
    build: (m) => {
      const command: Command = {
        kind: 'addEndpoint',
        method: m[1]!.toUpperCase() as HttpMethod,
        path: m[2]!,
      };
      if (m[3]) command.entity = entity(m[3]);
      if (m[4]) command.description = m[4].trim();
      return command;
    },
    example: 'add endpoint GET /api/photos/popular for Photo - the most liked photos',
    freeText: true,
  },
  {
    intent: /^(remove|delete|drop)\s+(an |the )?(api\s+)?(endpoint|route)\b/i,
    pattern: re(String.raw`(?:remove|delete|drop)\s+${A}(?:api\s+)?(?:endpoint|route)\s+${METHOD}\s+(\/\S*)`),
    build: (m) => ({ kind: 'removeEndpoint', method: m[1]!.toUpperCase() as HttpMethod, path: m[2]! }),
    example: 'remove endpoint GET /api/photos/popular',
  },
  {
    intent: /^(add|create|new)\s+(a |an |the )?(ui\s+)?component\b/i,
    pattern: re(
      String.raw`(?:add|create|new)\s+${A}(?:ui\s+)?component\s+(.+?)(?:\s*(?:[-—–:]|\bthat\b|\bwhich\b)\s*(.+))?`,
    ),
    build: (m) => ({ kind: 'addComponent', name: m[1]!.trim(), description: (m[2] ?? '').trim() }),
    example: 'add component PhotoCard - a photo with its like button',
    freeText: true,
  },
  {
    intent: /^(remove|delete|drop)\s+(the )?(ui\s+)?component\b/i,
    pattern: re(String.raw`(?:remove|delete|drop)\s+${A}(?:ui\s+)?component\s+(.+)`),
    build: (m) => ({ kind: 'removeComponent', name: m[1]!.trim() }),
    example: 'remove component PhotoCard',
  },
  {
    intent: /^(set\s+(the\s+)?(feature|name|title)|call it|name it|feature\s*[:=])/i,
    pattern: re(
      String.raw`(?:set\s+${A}(?:feature(?:\s+name)?|name|title)${SEP}|(?:call|name)\s+it\s+|(?:feature|name)\s*[:=]\s*)(.+)`,
    ),
    build: (m) => ({ kind: 'setFeature', text: m[1]!.trim() }),
    example: 'set feature Photo gallery',
    freeText: true,
  },
  {
    intent: /^(set\s+(the\s+)?(summary|description)|summary\s*[:=])/i,
    pattern: re(String.raw`(?:set\s+${A}(?:summary|description)${SEP}|summary\s*[:=]\s*)(.+)`),
    build: (m) => ({ kind: 'setSummary', text: m[1]!.trim() }),
    example: 'set summary A gallery where visitors like photos',
    freeText: true,
  },
  {
    intent: /^(use|set)\s+(the\s+)?(template|crud|landing|api|dashboard|static)/i,
    pattern: re(
      String.raw`(?:use|set)\s+${A}(?:template${SEP})?(crud[- ]app|landing[- ]page|api[- ]service|dashboard|static[- ]site)(?:\s+template)?`,
    ),
    build: (m) => ({ kind: 'setTemplate', template: m[1]!.toLowerCase().replace(' ', '-') as TemplateId }),
    example: 'use template landing-page',
  },
  {
    intent: /^(add\s+(an |the )?assumption|assume)\b/i,
    pattern: re(String.raw`(?:add\s+${A}assumption\s*:?|assume(?:\s+that)?)\s+(.+)`),
    build: (m) => ({ kind: 'addAssumption', text: m[1]!.trim() }),
    example: 'add assumption Visitors do not need accounts',
    freeText: true,
  },
  {
    intent: /^(answer|q\d+\s*[:=])/i,
    pattern: re(
      String.raw`(?:answer\s+(?:question\s+)?([A-Za-z0-9_-]+)\s*(?:[:=]|\bwith\b)?|(q\d+)\s*[:=])\s*(.+)`,
    ),
    build: (m) => ({ kind: 'answer', id: (m[1] ?? m[2])!, answer: m[3]!.trim() }),
    example: 'answer q1: yes, anyone can see the photos',
    freeText: true,
  },
  {
    intent: /^set\s+(the\s+)?(\w+\s+)?(colou?r|font|text\s+size|size|radius|spacing|space)\b/i,
    pattern: re(
      String.raw`set\s+${A}(?:(${TOKEN_GROUP})\s+([a-z][\w-]*)|([a-z][\w-]*)\s+(${TOKEN_GROUP}))${SEP}(.+)`,
    ),
    build: (m) => ({
      kind: 'setToken',
      group: TOKEN_GROUPS[(m[1] ?? m[4])!.toLowerCase().replace(/\s+/g, ' ')]!,
      token: (m[2] ?? m[3])!.toLowerCase(),
      value: m[5]!.trim(),
    }),
    example: 'set color primary #2563eb',
  },
];

const PAGE_KIND = /\s+as\s+(?:an?\s+)?(list|detail|form|landing|custom|dashboard)(?:\s+page)?(?=\s|$)/i;
const PAGE_PATH = /\s+at\s+(\/\S*)/i;
const PAGE_ENTITY =
  /\s+(?:showing|listing|for|of|about)\s+(?:(?:a|an|the|each|every|all)\s+)?([A-Za-z][A-Za-z0-9]*)/i;

/** Page commands take their clauses in any order: `Gallery at /gallery showing Photo as list`. */
function buildPage(rest: string, leadingKind: string | undefined): Command | string {
  let text = ` ${rest}`;
  const take = (pattern: RegExp): string | undefined => {
    const m = pattern.exec(text);
    if (!m) return undefined;
    text = text.slice(0, m.index) + text.slice(m.index + m[0].length);
    return m[1];
  };
  const kind = take(PAGE_KIND) ?? leadingKind;
  const path = take(PAGE_PATH);
  const shown = take(PAGE_ENTITY);
  const name = text.trim();
  // A nameless page is named after what it shows when applied ("add a list page for photos").
  if (!name && !shown) return 'the page needs a name, e.g. add page Gallery at /gallery';
  const command: Command = { kind: 'addPage', name };
  if (path) command.path = path;
  if (shown) command.entity = entity(shown);
  if (kind) command.pageKind = kind.toLowerCase() as PageKind;
  return command;
}

const FILLER =
  /^(?:(?:please|ok(?:ay)?|now|also|and|then|let'?s|can you|could you|would you|i want to|i'd like to)[,\s]+)+/i;

/** Parses one line of chat into a command, or says what went wrong with an example to copy. */
export function parseCommand(line: string): ParseResult {
  const text = line
    .trim()
    .replace(FILLER, '')
    .replace(/\s+please$/i, '')
    .trim();
  const structural = text.replace(/[.!]+$/, '');
  for (const rule of GRAMMAR) {
    const [first, second] = rule.freeText ? [text, structural] : [structural, text];
    const m = rule.pattern.exec(first) ?? rule.pattern.exec(second);
    if (!m) continue;
    const built = rule.build(m);
    if (typeof built === 'string') return { ok: false, error: built, example: rule.example };
    return { ok: true, command: built };
  }
  const meant = GRAMMAR.find((r) => r.intent.test(text));
  return meant
    ? { ok: false, error: `I couldn't read "${text}"`, example: meant.example }
    : { ok: false, error: `I didn't understand "${text}"` };
}

/** Splits a chat message into command lines (one command per line). */
export function commandLines(message: string): string[] {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export type { FieldSpec, FieldType };
