import type { Root, RootContent } from 'hast';
import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

/**
 * What may survive of rendered Markdown: GitHub's allow-list (no script, style, iframe or form;
 * no `on*` or `style` attribute), with links narrowed to http(s),
 * mailto and relative addresses, and images to http(s) and relative addresses. Any other
 * protocol (`javascript:`, `data:`, `vbscript:` …) loses its `href`/`src`.
 */
export const markdownSchema: SanitizeSchema = {
  ...defaultSchema,
  protocols: {
    ...defaultSchema.protocols,
    href: ['http', 'https', 'mailto'],
    src: ['http', 'https'],
  },
  // No prefixing here: the only ids left are the footnotes' that remark-rehype already prefixed
  // `user-content-` (authors cannot write ids, their HTML is text), and prefixing them twice would
  // break the footnote links.
  clobberPrefix: '',
};

type Parent = { type: string; children: Array<RootContent | { type: 'raw'; value: string }> };

/**
 * Rehype plugin: HTML written in the Markdown stays visible as the text it is (`<script>` shows
 * as `<script>`) instead of being parsed, so the sanitiser after it only sees Markdown's own
 * elements. A block of HTML becomes a paragraph of its text.
 */
export function rehypeRawAsText() {
  return (tree: Root) => {
    const visit = (node: Parent) => {
      node.children.forEach((child, index) => {
        if (child.type !== 'raw') {
          if ('children' in child) visit(child as Parent);
          return;
        }
        const text = { type: 'text' as const, value: child.value };
        node.children[index] =
          node.type === 'root' ? { type: 'element', tagName: 'p', properties: {}, children: [text] } : text;
      });
    };
    visit(tree as Parent);
  };
}

/** How a rendered link opens: another site in a new tab, a page of this app in place. */
export type LinkKind = 'external' | 'in-app' | 'in-page' | 'mail';

export function linkKind(href: string, origin: string): LinkKind {
  if (href.startsWith('#')) return 'in-page';
  let url: URL;
  try {
    url = new URL(href, origin);
  } catch {
    return 'external';
  }
  if (url.protocol === 'mailto:') return 'mail';
  return url.origin === origin ? 'in-app' : 'external';
}
