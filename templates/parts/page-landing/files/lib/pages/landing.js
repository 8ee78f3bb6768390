/**
 * A landing page: a hero with the pitch, feature cards, a call to action and, when the page names
 * a model, a signup form that stores each submission.
 */
import { recordForm } from '../fields.js';
import { tryForm } from '../form-posts.js';
import { html } from '../html.js';
import { HttpError } from '../http.js';
import { fromForm } from '../validate.js';

function features(site) {
  const cards = site.features.length
    ? site.features
    : site.models.map((m) => ({ name: m.label, description: m.description, href: m.href }));
  if (!cards.length) return '';
  return html`<section class="features">
<ul class="cards">${cards.map(
    (c) =>
      html`<li class="card"><h3>${c.href ? html`<a href="${c.href}">${c.name}</a>` : c.name}</h3>${c.description ? html`<p>${c.description}</p>` : ''}</li>`,
  )}</ul>
</section>`;
}

export function render(ctx, failed) {
  const { page, site, model, records, query } = ctx;
  const form = model?.actions.includes('create') ? model : undefined;
  const callToAction = page.components.includes('contact-form') ? 'Send a message' : 'Sign up';
  const start = site.nav.find((link) => link.path !== page.path);
  const action = form
    ? html`<a class="button" href="#signup">${callToAction}</a>`
    : start
      ? html`<a class="button" href="${start.path}">Get started: ${start.label}</a>`
      : '';
  const signup = form
    ? html`<section id="signup" class="card signup">
<h2>${callToAction}</h2>
${query.thanks ? html`<p class="notice" role="status">Thank you! We got it and will be in touch.</p>` : ''}
${recordForm(form, records, { action: page.path, submit: callToAction, ...failed })}
</section>`
    : '';
  return {
    status: failed?.status ?? 200,
    title: site.name,
    body: html`<section class="hero">
<h1>${page.path === '/' ? site.name : page.name}</h1>
<p class="lead">${page.purpose || site.summary}</p>
${action ? html`<p class="actions">${action}</p>` : ''}
</section>
${features(site)}
${signup}`,
  };
}

export async function submit(ctx) {
  const { page, model, records, body } = ctx;
  if (!model?.actions.includes('create')) throw new HttpError(405, 'This page has no form');
  return tryForm(
    async () => {
      await records.create(model, fromForm(model, body));
      return { redirect: `${page.path}?thanks=1#signup` };
    },
    (failure) => render(ctx, { ...failure, values: body }),
  );
}
