/**
 * A page of the site: its Markdown file from content/ as HTML and, when entries live under its
 * path (`/posts` and `/posts/:id`), a list of them, each linking to its own page.
 */
import { listEntries, readPage } from '../content.js';
import { html, trustedHtml } from '../html.js';
import { HttpError } from '../http.js';
import { hrefFor } from '../links.js';
import { renderMarkdown } from '../markdown.js';

export async function render({ page, site }) {
  const text = await readPage(page.content);
  if (text === undefined)
    throw new HttpError(404, `This page has no content yet: add content/${page.content}`);
  const entryPage =
    page.collection && site.pages.find((p) => p.kind === 'entry' && p.collection === page.collection);
  const entries = entryPage ? await listEntries(page.collection) : [];
  const listing = entryPage
    ? entries.length
      ? html`<ul class="entries">${entries.map((e) => html`<li><a href="${hrefFor(entryPage, e.name)}">${e.title}</a></li>`)}</ul>`
      : html`<p class="empty">Nothing here yet: add a Markdown file to content/${page.collection}/.</p>`
    : '';
  return {
    title: page.path === '/' ? site.name : page.name,
    body: html`<article class="prose">
${trustedHtml(renderMarkdown(text))}
</article>
${listing}`,
  };
}
