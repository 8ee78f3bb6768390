/**
 * Guesses a field's type from its name (`url` → url, `dueDate` → date, `likes` → integer), used
 * when a command or a landing prompt names a field without a type.
 */

import { lookupTable } from '../../platform/lookup-table.ts';
import type { FieldType } from './blueprint-schema.ts';
import { words } from './naming.ts';

const BY_WORD: [RegExp, FieldType][] = [
  [/^(url|link|website|homepage|href|image|photo|picture|avatar|thumbnail)$/, 'url'],
  [/^e?mail$/, 'email'],
  [
    /^(description|body|content|notes?|bio|instructions|text|message|details|summary|comment|review|story)$/,
    'longtext',
  ],
  [
    /^(likes|votes|upvotes|downvotes|views|count|quantity|servings|stars|rating|score|rank|position|age|year|stock|points)$/,
    'integer',
  ],
  [
    /^(price|amount|total|cost|balance|weight|height|width|length|latitude|longitude|percent|percentage)$/,
    'number',
  ],
  [/^(done|completed|published|active|archived|featured|public|approved|enabled|visible|paid)$/, 'boolean'],
  [/^(date|day|birthday|deadline)$/, 'date'],
  [/^(at|time|timestamp|datetime)$/, 'datetime'],
];

export function inferFieldType(name: string): FieldType {
  const parts = words(name);
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && /^(is|has|can|should)$/.test(first)) return 'boolean';
  if (parts.length > 1 && last === 'count') return 'integer';
  if (parts.length > 1 && last === 'on') return 'date';
  for (const [pattern, type] of BY_WORD) if (pattern.test(last)) return type;
  return 'text';
}

/** Type names people write, mapped to Blueprint field types. */
export const TYPE_SYNONYMS = lookupTable<FieldType>({
  text: 'text',
  string: 'text',
  str: 'text',
  varchar: 'text',
  name: 'text',
  longtext: 'longtext',
  textarea: 'longtext',
  markdown: 'longtext',
  paragraph: 'longtext',
  number: 'number',
  float: 'number',
  decimal: 'number',
  double: 'number',
  money: 'number',
  integer: 'integer',
  int: 'integer',
  counter: 'integer',
  boolean: 'boolean',
  bool: 'boolean',
  checkbox: 'boolean',
  flag: 'boolean',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
  time: 'datetime',
  email: 'email',
  url: 'url',
  link: 'url',
  uri: 'url',
  enum: 'enum',
  choice: 'enum',
  select: 'enum',
});
