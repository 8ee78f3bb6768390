import type { AnsweredBy, ConversationDetail, MessageView } from './schemas.ts';

const ROLE_TITLES = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' } as const;

/**
 * A conversation as a Markdown document: a heading per message with its role, time and (on
 * replies) who answered, then its text as written. Whatever a message holds, the document keeps
 * its shape: a code fence a message leaves open is closed at its end, and titles and badges are
 * escaped so they stay plain text.
 */
export function conversationMarkdown(c: ConversationDetail, now: Date): string {
  const lines = [
    `# ${inline(c.title || 'Untitled conversation')}`,
    '',
    ...(c.project ? [`- Project: ${inline(c.project.name)} (${code(c.project.slug)})`] : []),
    `- Conversation: ${code(c.id)}`,
    `- Created: ${c.createdAt}`,
    `- Exported: ${now.toISOString()}`,
    `- Messages: ${c.messages.length}`,
    '',
  ];
  for (const m of c.messages) lines.push(...message(m));
  return `${lines.join('\n').trimEnd()}\n`;
}

function message(m: MessageView): string[] {
  const badge = m.answeredBy ? ` · ${code(badgeText(m.answeredBy))}` : '';
  const out = [`## ${ROLE_TITLES[m.role]} · ${m.createdAt}${badge}`, ''];
  if (m.content.trim()) out.push(closeOpenBlocks(m.content.replace(/\r\n?/g, '\n')), '');
  if (Object.keys(m.data).length) out.push(...fenced(JSON.stringify(m.data, null, 2), 'json'), '');
  return out;
}

/** What the UI's model badge says: `architect · anthropic/claude-x (fallback from gemini/gemini-y)`, or `rules`. */
export function badgeText(by: AnsweredBy): string {
  if (by.kind === 'rules') return 'rules';
  const answered = `${by.provider}/${by.model}`;
  return [
    by.alias ? `${by.alias} · ${answered}` : answered,
    by.fallbackFrom ? ` (fallback from ${by.fallbackFrom})` : '',
    by.failed ? ' (no usable answer)' : '',
  ].join('');
}

/** Text that must stay text on one line (a heading, a list item): Markdown's punctuation escaped. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>#&|~!]/g, (ch) => `\\${ch}`);
}

/** A code span that holds any text: delimited by one backtick more than its longest run. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function fenced(text: string, info: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, text, fence];
}

/** HTML blocks that CommonMark runs on, past blank lines, until their end marker (types 1, 2, 3, 5). */
const RAW_HTML = [
  {
    open: /^ {0,3}<(script|pre|style|textarea)(\s|>|$)/i,
    end: (m: RegExpExecArray) => `</${m[1]!.toLowerCase()}>`,
  },
  { open: /^ {0,3}<!--/, end: () => '-->' },
  { open: /^ {0,3}<\?/, end: () => '?>' },
  { open: /^ {0,3}<!\[CDATA\[/, end: () => ']]>' },
];

/**
 * Closes what a message leaves open at its end — a fenced code block, or an HTML block that runs
 * until an end marker — which CommonMark would otherwise run to the end of the document,
 * swallowing every later message.
 */
export function closeOpenBlocks(text: string): string {
  let fence: { char: string; length: number } | null = null;
  let html: string | null = null;
  for (const line of text.split('\n')) {
    if (html) {
      if (line.toLowerCase().includes(html)) html = null;
      continue;
    }
    const run = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      if (run && run[1]![0] === fence.char && run[1]!.length >= fence.length && !run[2]!.trim()) fence = null;
      continue;
    }
    // A backtick fence's info string may not hold a backtick.
    if (run && !(run[1]![0] === '`' && run[2]!.includes('`'))) {
      fence = { char: run[1]![0]!, length: run[1]!.length };
      continue;
    }
    for (const kind of RAW_HTML) {
      const opened = kind.open.exec(line);
      if (!opened) continue;
      const end = kind.end(opened);
      // The end marker may sit on the opening line itself.
      if (!line.slice(opened[0].length).toLowerCase().includes(end)) html = end;
      break;
    }
  }
  const body = text.trimEnd();
  if (fence) return `${body}\n${fence.char.repeat(fence.length)}`;
  if (html) return `${body}\n${html}`;
  return body;
}
