/** A list page: every record of one model, with a form to add one (when the model allows it). */
import { counterButtons, countFromForm } from '../counters.js';
import { formatValue, recordForm, recordTitle } from '../fields.js';
import { tryForm } from '../form-posts.js';
import { html } from '../html.js';
import { HttpError } from '../http.js';
import { detailHref } from '../links.js';
import { own } from '../own.js';
import { fromForm } from '../validate.js';

const COLUMNS = 4;

function table(ctx, items) {
  const { model, site } = ctx;
  const columns = model.fields.filter((f) => f.type !== 'longtext').slice(0, COLUMNS);
  const rows = items.map((record) => {
    const href = detailHref(site, model, record.id);
    const cells = columns.map((field, i) => {
      const value = i === 0 ? recordTitle(model, record) : formatValue(field, own(record, field.name), ctx);
      return html`<td>${i === 0 && href ? html`<a href="${href}">${value}</a>` : value}</td>`;
    });
    const counters = model.counters.length ? html`<td>${counterButtons(model, record, ctx.path)}</td>` : '';
    return html`<tr>${cells}${counters}</tr>`;
  });
  return html`<table class="records">
<thead><tr>${columns.map((f) => html`<th>${f.label}</th>`)}${model.counters.length ? html`<th></th>` : ''}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** Models with a picture show a grid of cards instead of a table. */
function gallery(ctx, items) {
  const { model, site } = ctx;
  const picture = model.fields.find((f) => f.display === 'image');
  return html`<ul class="gallery">${items.map((record) => {
    const href = detailHref(site, model, record.id);
    const title = recordTitle(model, record);
    return html`<li class="card">
${formatValue(picture, own(record, picture.name), ctx)}
<h3>${href ? html`<a href="${href}">${title}</a>` : title}</h3>
${counterButtons(model, record, ctx.path)}
</li>`;
  })}</ul>`;
}

export function render(ctx, failed) {
  const { page, model, records, query } = ctx;
  const items = records.list(model, query);
  const canCreate = model.actions.includes('create');
  const listing = !items.length
    ? html`<p class="empty">No ${model.label.toLowerCase()} yet.${canCreate ? ' Add the first one below.' : ''}</p>`
    : model.fields.some((f) => f.display === 'image')
      ? gallery(ctx, items)
      : table(ctx, items);
  const form = canCreate
    ? html`<section class="card">
<h2>Add ${model.title.toLowerCase()}</h2>
${recordForm(model, records, { action: page.path, submit: `Add ${model.title.toLowerCase()}`, ...failed })}
</section>`
    : '';
  return {
    status: failed?.status ?? 200,
    title: page.name,
    body: html`<h1>${page.name}</h1>
${page.purpose ? html`<p class="lead">${page.purpose}</p>` : ''}
${listing}
${form}`,
  };
}

export async function submit(ctx) {
  const { model, records, body, path } = ctx;
  if (body._action === 'count') {
    await countFromForm(ctx);
    return { redirect: path };
  }
  if (!model.actions.includes('create')) throw new HttpError(405, `${model.label} cannot be added here`);
  return tryForm(
    async () => {
      await records.create(model, fromForm(model, body));
      return { redirect: path };
    },
    (failure) => render(ctx, { ...failure, values: body }),
  );
}
