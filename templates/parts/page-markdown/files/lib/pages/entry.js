/**
 * One entry of a folder of content/ (`/posts/hello` → content/posts/hello.md), titled by its first
 * heading, with the way back to the page that lists them.
 */
import { readEntry } from '../content.js';
import { html, trustedHtml } from '../html.js';
import { HttpError } from '../http.js';
import { idParam } from '../links.js';
import { markdownTitle, renderMarkdown } from '../markdown.js';

export async function render({ page, site, params }) {
  const name = String(idParam(params));
  const text = await readEntry(page.collection, name);
  if (text === undefined) throw new HttpError(404, `There is no entry ${name} here`);
  const list = site.pages.find((p) => p.kind === 'content' && p.collection === page.collection);
  return {
    title: markdownTitle(text) ?? name,
    body: html`<article class="prose">
${trustedHtml(renderMarkdown(text))}
</article>
${list ? html`<p><a href="${list.path}">← ${list.name}</a></p>` : ''}`,
  };
}
