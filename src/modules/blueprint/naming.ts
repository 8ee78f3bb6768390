/**
 * English-ish naming helpers for Blueprint names: entity `BlogPost` → collection `blog-posts`,
 * field `dueDate` → label `Due date`. Deliberately small and deterministic; irregular plurals that
 * matter for typical apps are listed explicitly.
 */
import { lookupTable } from '../../platform/lookup-table.ts';

const IRREGULAR = lookupTable({
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
  foot: 'feet',
  tooth: 'teeth',
  datum: 'data',
  criterion: 'criteria',
  quiz: 'quizzes',
});
const IRREGULAR_SINGULAR = lookupTable(Object.fromEntries(Object.entries(IRREGULAR).map(([s, p]) => [p, s])));
/** Words whose singular and plural are the same. */
const UNCOUNTABLE = new Set([
  'news',
  'series',
  'species',
  'sheep',
  'fish',
  'equipment',
  'information',
  'media',
]);

function matchCase(word: string, source: string): string {
  return /^[A-Z]/.test(source) ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/** Plural of one lowercase-or-capitalized word (`category` → `categories`). */
export function pluralizeWord(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower) || IRREGULAR_SINGULAR[lower]) return word;
  const irregular = IRREGULAR[lower];
  if (irregular) return matchCase(irregular, word);
  if (/[^aeiou]y$/.test(lower)) return word.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/.test(lower)) return word + 'es';
  return word + 's';
}

/** Singular of one word (`categories` → `category`); words that do not look plural are returned as is. */
export function singularizeWord(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  const irregular = IRREGULAR_SINGULAR[lower];
  if (irregular) return matchCase(irregular, word);
  if (IRREGULAR[lower]) return word;
  if (/[^aeiou]ies$/.test(lower)) return word.slice(0, -3) + 'y';
  if (/(ss|x|z|ch|sh)es$/.test(lower) || /[^aeiou]ses$/.test(lower)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(lower)) return word;
  if (lower.length > 3 && lower.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** Splits `BlogPost`, `blog post`, `blog-post`, `blog_post` and `blogPost` into lowercase words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** `blog post` → `BlogPost`. */
export function toPascalCase(name: string): string {
  return words(name).map(capitalize).join('');
}

/** `Due date` → `dueDate`. */
export function toCamelCase(name: string): string {
  const [first = '', ...rest] = words(name);
  return first + rest.map(capitalize).join('');
}

/** `BlogPost` → `blog-post`. */
export function toKebabCase(name: string): string {
  return words(name).join('-');
}

/**
 * Names a generated app must not use as they are: JavaScript's reserved words (an identifier
 * `class` or `new` is a syntax error), the global values that read like words, and the members
 * every object inherits (`constructor`, `toString`, `__proto__`…), which turn a lookup by name
 * into a lookup of something else.
 */
const RESERVED_WORDS = new Set([
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do'],
  ...['else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in'],
  ...['instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try'],
  ...['typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface'],
  ...['package', 'private', 'protected', 'public', 'await', 'async', 'of', 'arguments', 'eval'],
  ...['undefined', 'NaN', 'Infinity', 'prototype'],
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** True for a word a generated app may not use as an identifier or a member name as it is. */
export function isReservedWord(name: string): boolean {
  return RESERVED_WORDS.has(name);
}

/** `name` as a camelCase identifier, with `suffix` when it is reserved: `Class` → `classModel`. */
export function safeIdentifier(name: string, suffix: string): string {
  const camel = toCamelCase(name);
  return isReservedWord(camel) ? `${camel}${suffix}` : camel;
}

/**
 * A field name from words someone typed: camelCase, and never a reserved word (`class` →
 * `classValue`, `to string` → `toStringValue`), so it is safe as a property of the app's records.
 */
export function memberName(text: string): string {
  return safeIdentifier(text, 'Value');
}

const ACRONYMS = new Set(['url', 'api', 'id', 'html', 'css', 'json', 'faq', 'sku', 'isbn', 'ip', 'ui']);

/** `dueDate` → `Due date`, `BlogPost` → `Blog post`, `imageUrl` → `Image URL`. */
export function humanize(name: string): string {
  return capitalize(
    words(name)
      .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
      .join(' '),
  );
}

/** Plural of a PascalCase entity name, pluralizing its last word: `BlogPost` → `BlogPosts`. */
export function pluralizeName(name: string): string {
  const parts = words(name);
  const last = parts.pop() ?? '';
  return [...parts, pluralizeWord(last)].map(capitalize).join('');
}

/** Singular of a name, singularizing its last word: `Photos` → `Photo`, `blog posts` → `BlogPost`. */
export function singularizeName(name: string): string {
  const parts = words(name);
  const last = parts.pop() ?? '';
  return [...parts, singularizeWord(last)].map(capitalize).join('');
}

/** The URL segment and store collection for an entity: `BlogPost` → `blog-posts`. */
export function collectionName(entity: string): string {
  return toKebabCase(pluralizeName(entity));
}

/** `a Photo`, `an Album`. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Shortens text to at most `max` characters, at a word boundary, marking the cut with `…`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
