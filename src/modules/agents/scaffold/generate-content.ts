/**
 * A static site's Markdown, generated from the Blueprint: a file per page (its heading, its purpose
 * and a section per component it plans) and a first entry in each folder of entries. The Blueprint's
 * words are escaped, so a name with `*` or `<b>` reads as written.
 */
import type { Blueprint } from '../../blueprint/index.ts';
import type { AppPage } from './app-pages.ts';

const INLINE = /[\\`*_[\]<>!#]/g;

/** Text as Markdown that renders as exactly this text (no emphasis, link, list or heading). */
export function markdownText(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .trimEnd()
        .replace(INLINE, '\\$&')
        .replace(/^(\s*)([#+\-=|~])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2'),
    )
    .join('\n');
}

function pageMarkdown(bp: Blueprint, page: AppPage): string {
  const purpose = page.purpose || (page.path === '/' ? bp.summary : '');
  const sections = page.components.map((name) => {
    const known = bp.sections.uiComponents.find((c) => c.name.toLowerCase() === name.toLowerCase());
    return `## ${markdownText(name)}\n${known?.description ? `\n${markdownText(known.description)}\n` : ''}`;
  });
  return [
    `# ${markdownText(page.heading ?? page.name)}\n`,
    purpose ? `${markdownText(purpose)}\n` : '',
    ...sections,
  ]
    .filter(Boolean)
    .join('\n');
}

function firstEntry(page: AppPage, list: AppPage | undefined): string {
  const where = list ? markdownText(list.name) : 'this site';
  return `# Welcome

The first entry of ${where}. Each Markdown file in \`content/${page.collection}/\` is an entry; its
first heading is its title. Name a file after its date (\`2024-05-31-hello.md\`) to list it newest
first.
`;
}

/** `content/<file>` → Markdown, for the pages of a static site. */
export function contentFiles(bp: Blueprint, pages: AppPage[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const page of pages) {
    if (page.content) files.set(`content/${page.content}`, pageMarkdown(bp, page));
    if (page.kind === 'entry' && page.collection) {
      const list = pages.find((p) => p.kind === 'content' && p.collection === page.collection);
      files.set(`content/${page.collection}/welcome.md`, firstEntry(page, list));
    }
  }
  return files;
}
