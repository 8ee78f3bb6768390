/** A form page: adds one record, then shows it (or says it was saved). */
import { recordForm } from '../fields.js';
import { tryForm } from '../form-posts.js';
import { html } from '../html.js';
import { HttpError } from '../http.js';
import { detailHref } from '../links.js';
import { fromForm } from '../validate.js';

export function render(ctx, failed) {
  const { page, model, records, query } = ctx;
  return {
    status: failed?.status ?? 200,
    title: page.name,
    body: html`<h1>${page.name}</h1>
${page.purpose ? html`<p class="lead">${page.purpose}</p>` : ''}
${query.saved ? html`<p class="notice" role="status">Saved. Add another one?</p>` : ''}
<section class="card">
${recordForm(model, records, { action: page.path, submit: 'Save', ...failed })}
</section>`,
  };
}

export async function submit(ctx) {
  const { model, records, body, page, site } = ctx;
  if (!model.actions.includes('create')) throw new HttpError(405, `${model.label} cannot be added here`);
  return tryForm(
    async () => {
      const record = await records.create(model, fromForm(model, body));
      return { redirect: detailHref(site, model, record.id) ?? `${page.path}?saved=1` };
    },
    (failure) => render(ctx, { ...failure, values: body }),
  );
}
