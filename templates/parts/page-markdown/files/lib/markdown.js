/**
 * A small Markdown renderer for the site's content/ files, on nothing but JavaScript. It knows the
 * common syntax: headings, paragraphs, emphasis, code spans and fenced code, links and images,
 * lists (nested), block quotes, rules and line breaks. Everything is escaped: HTML written in a
 * file shows as text, and a link or image leads only to http(s), mailto or a path of this site.
 */
import { escapeHtml } from './html.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|(\d{1,9})[.)])(?:[ \t]+(.*))?$/;
const BLANK = /^\s*$/;
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** A link or image target this site may point at: http(s), mailto, or a path, never `javascript:`. */
export function safeUrl(raw, { image = false } = {}) {
  const url = String(raw).trim();
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\u0000-\u0020\u007f]/g, ''))?.[1]?.toLowerCase();
  if (!scheme) return url;
  const allowed = image ? ['http', 'https'] : ['http', 'https', 'mailto'];
  return allowed.includes(scheme) ? url : undefined;
}

/** `[text](target "title")` starting at `open` (the `[`): its parts and where it ends, or null. */
function linkAt(text, open) {
  let depth = 0;
  let close = -1;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0 || text[close + 1] !== '(') return null;
  const target = /^\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+"([^"]*)")?\s*\)/.exec(
    text.slice(close + 1),
  );
  if (!target) return null;
  const href = target[1].startsWith('<') ? target[1].slice(1, -1) : target[1];
  return { label: text.slice(open + 1, close), href, title: target[2], end: close + 1 + target[0].length };
}

/** Renders inline Markdown to HTML; `links: false` renders link text without the link. */
export function renderInline(text, { links = true } = {}) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '\n') {
      out += '<br>\n';
      i += 2;
    } else if (ch === '\\' && PUNCTUATION.test(text[i + 1] ?? '')) {
      out += escapeHtml(text[i + 1]);
      i += 2;
    } else if (ch === '`') {
      const run = /^`+/.exec(text.slice(i))[0];
      const end = text.indexOf(run, i + run.length);
      if (end < 0) {
        out += escapeHtml(run);
        i += run.length;
      } else {
        const code = text.slice(i + run.length, end).replace(/\n/g, ' ');
        out += `<code>${escapeHtml(code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code)}</code>`;
        i = end + run.length;
      }
    } else if (ch === '!' && text[i + 1] === '[' && linkAt(text, i + 1)) {
      const link = linkAt(text, i + 1);
      const src = safeUrl(link.href, { image: true });
      const alt = escapeHtml(link.label.replace(/\\(.)/g, '$1'));
      out += src
        ? `<img src="${escapeHtml(src)}" alt="${alt}"${link.title ? ` title="${escapeHtml(link.title)}"` : ''} loading="lazy">`
        : alt;
      i = link.end;
    } else if (ch === '[' && linkAt(text, i)) {
      const link = linkAt(text, i);
      const label = renderInline(link.label, { links: false });
      const href = links ? safeUrl(link.href) : undefined;
      out += href
        ? `<a href="${escapeHtml(href)}"${link.title ? ` title="${escapeHtml(link.title)}"` : ''}>${label}</a>`
        : label;
      i = link.end;
    } else if (ch === '<' && /^<(https?:\/\/[^\s<>]+|mailto:[^\s<>]+)>/i.test(text.slice(i))) {
      const url = /^<([^>]+)>/.exec(text.slice(i))[1];
      out += links ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url);
      i += url.length + 2;
    } else if ((ch === '*' || ch === '_') && emphasisAt(text, i)) {
      const em = emphasisAt(text, i);
      const tag = em.strong ? 'strong' : 'em';
      out += `<${tag}>${renderInline(em.inner, { links })}</${tag}>`;
      i = em.end;
    } else if (ch === ' ' && /^ {2,}\n/.test(text.slice(i))) {
      out += '<br>\n';
      i = text.indexOf('\n', i) + 1;
    } else {
      out += escapeHtml(ch);
      i++;
    }
  }
  return out;
}

/** `**strong**`, `__strong__`, `*em*` or `_em_` at `i`: its content and end, or null. */
function emphasisAt(text, i) {
  const ch = text[i];
  const strong = text[i + 1] === ch;
  const marker = strong ? ch + ch : ch;
  const start = i + marker.length;
  // Opens only before text, and `_` only at the start of a word (snake_case stays as it is).
  if (!text[start] || /\s/.test(text[start]) || text[start] === ch) return null;
  if (ch === '_' && /[\p{L}\p{N}]/u.test(text[i - 1] ?? '')) return null;
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] === '`') {
      const run = /^`+/.exec(text.slice(j))[0];
      const end = text.indexOf(run, j + run.length);
      if (end > 0) j = end + run.length - 1;
      continue;
    }
    if (text.startsWith(marker, j) && !/\s/.test(text[j - 1]) && text[j + marker.length] !== ch) {
      if (ch === '_' && /[\p{L}\p{N}]/u.test(text[j + marker.length] ?? '')) continue;
      return { strong, inner: text.slice(start, j), end: j + marker.length };
    }
  }
  return null;
}

/** The lines of one list item (its first line without the marker), and where the list goes on. */
function listItems(lines, start, ordered) {
  const items = [];
  let i = start;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]);
    if (!m || Boolean(m[3]) !== ordered) break;
    const indent = m[1].length + m[2].length + 1;
    const item = [m[4] ?? ''];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (BLANK.test(line)) {
        // A blank line ends the list unless the item or the list goes on after it.
        const next = lines[i + 1];
        if (next === undefined || !(leadingSpaces(next) >= indent || ITEM.test(next))) break;
        item.push('');
        i++;
      } else if (leadingSpaces(line) >= indent) {
        item.push(line.slice(indent));
        i++;
      } else if (!ITEM.test(line) && !startsBlock(line) && item.at(-1) !== '') {
        item.push(line.trim()); // a lazy continuation of the item's paragraph
        i++;
      } else break;
    }
    items.push({ lines: item, loose: item.includes('') && item.at(-1) !== '' });
    while (i < lines.length && BLANK.test(lines[i]) && ITEM.test(lines[i + 1] ?? '')) i++;
  }
  return { items, end: i };
}

const leadingSpaces = (line) => /^ */.exec(line)[0].length;
const startsBlock = (line) =>
  FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);

function renderBlocks(lines) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence[1][0]}{${fence[1].length},}\\s*$`);
      const code = [];
      i++;
      while (i < lines.length && !close.test(lines[i])) code.push(lines[i++]);
      i++;
      const language = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      out.push(`<pre><code${language}>${escapeHtml(code.join('\n'))}${code.length ? '\n' : ''}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1].length;
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted = [];
      while (i < lines.length && !BLANK.test(lines[i])) {
        const m = QUOTE.exec(lines[i]);
        quoted.push(m ? m[1] : lines[i].trim());
        i++;
      }
      out.push(`<blockquote>\n${renderBlocks(quoted)}\n</blockquote>`);
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const ordered = Boolean(item[3]);
      const { items, end } = listItems(lines, i, ordered);
      const loose = items.some((it) => it.loose);
      const rendered = items.map((it) => {
        const inner = renderBlocks(it.lines);
        // A tight list shows its items' text without paragraphs around it.
        return `<li>${loose ? inner : inner.replace(/^<p>([\s\S]*?)<\/p>/, '$1')}</li>`;
      });
      const start = ordered && Number(item[3]) !== 1 ? ` start="${Number(item[3])}"` : '';
      out.push(
        ordered ? `<ol${start}>\n${rendered.join('\n')}\n</ol>` : `<ul>\n${rendered.join('\n')}\n</ul>`,
      );
      i = end;
      continue;
    }
    const paragraph = [];
    while (i < lines.length && !BLANK.test(lines[i]) && (!paragraph.length || !startsBlock(lines[i]))) {
      paragraph.push(lines[i].replace(/^\s+/, ''));
      i++;
    }
    out.push(`<p>${renderInline(paragraph.join('\n').replace(/\s+$/, ''))}</p>`);
  }
  return out.join('\n');
}

/** Renders a Markdown document to HTML. */
export function renderMarkdown(text) {
  const lines = String(text).replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  return renderBlocks(lines);
}

/** The text of the document's first heading (its title), or undefined. */
export function markdownTitle(text) {
  for (const line of String(text).replace(/\r\n?/g, '\n').split('\n')) {
    const heading = HEADING.exec(line);
    if (heading?.[2]) return plainText(renderInline(heading[2], { links: false }));
  }
  return undefined;
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Rendered inline HTML back to the text a reader sees. */
function plainText(rendered) {
  return rendered.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
}
