/** A page the Blueprint describes in words: its purpose, its planned components, and the way on. */
import { html } from '../html.js';

export function render({ page, site }) {
  const planned = page.components.map((name) => {
    const known = site.components.find((c) => c.name.toLowerCase() === name.toLowerCase());
    return html`<li class="card"><h3>${name}</h3>${known?.description ? html`<p>${known.description}</p>` : ''}</li>`;
  });
  const links = site.nav.filter((link) => link.path !== page.path);
  return {
    title: page.name,
    body: html`<h1>${page.name}</h1>
${page.purpose ? html`<p class="lead">${page.purpose}</p>` : ''}
${planned.length ? html`<ul class="cards">${planned}</ul>` : ''}
${links.length ? html`<ul class="links">${links.map((l) => html`<li><a class="button" href="${l.path}">${l.label}</a></li>`)}</ul>` : ''}`,
  };
}
