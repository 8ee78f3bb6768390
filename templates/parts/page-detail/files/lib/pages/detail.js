/** A detail page: one record, its counters, the records that belong to it, and edit/delete forms. */
import { counterButtons, countFromForm } from '../counters.js';
import { formatValue, recordForm, recordTitle } from '../fields.js';
import { tryForm } from '../form-posts.js';
import { html } from '../html.js';
import { HttpError } from '../http.js';
import { detailHref, idParam, listHref } from '../links.js';
import { own } from '../own.js';
import { fromForm } from '../validate.js';

function children(ctx, record) {
  const { model, records, site } = ctx;
  return model.children.map((child) => {
    const childModel = records.byName.get(child.model);
    const items = records.list(childModel, { [child.field]: record.id });
    const links = items.map((item) => {
      const href = detailHref(site, childModel, item.id);
      const title = recordTitle(childModel, item);
      return html`<li>${href ? html`<a href="${href}">${title}</a>` : title}</li>`;
    });
    return html`<section class="card">
<h2>${child.label}</h2>
${items.length ? html`<ul>${links}</ul>` : html`<p class="empty">None yet.</p>`}
</section>`;
  });
}

export function render(ctx, failed) {
  const { model, records, site, params, path } = ctx;
  const record = records.get(model, idParam(params));
  const title = recordTitle(model, record);
  const back = listHref(site, model);
  const edit = model.actions.includes('update')
    ? html`<section class="card">
<h2>Edit</h2>
${recordForm(model, records, { action: path, submit: 'Save changes', values: record, hidden: { _action: 'update' }, ...failed })}
</section>`
    : '';
  const remove = model.actions.includes('delete')
    ? html`<form method="post" action="${path}" class="danger-zone">
<input type="hidden" name="_action" value="delete">
<button type="submit" class="danger">Delete this ${model.title.toLowerCase()}</button>
</form>`
    : '';
  return {
    status: failed?.status ?? 200,
    title,
    body: html`${back ? html`<p class="breadcrumbs"><a href="${back}">← ${model.label}</a></p>` : ''}
<h1>${title}</h1>
<dl class="record">
${model.fields.map((f) => html`<dt>${f.label}</dt><dd>${formatValue(f, own(record, f.name), ctx)}</dd>\n`)}</dl>
${counterButtons(model, record, path)}
${children(ctx, record)}
${edit}
${remove}`,
  };
}

export async function submit(ctx) {
  const { model, records, body, params, path, site } = ctx;
  const id = idParam(params);
  switch (body._action) {
    case 'count':
      await countFromForm(ctx);
      return { redirect: path };
    case 'delete':
      if (!model.actions.includes('delete')) break;
      await records.remove(model, id);
      return { redirect: listHref(site, model) ?? '/' };
    case 'update':
      if (!model.actions.includes('update')) break;
      return tryForm(
        async () => {
          await records.update(model, id, fromForm(model, body));
          return { redirect: path };
        },
        (failure) => render(ctx, { ...failure, values: body }),
      );
  }
  throw new HttpError(400, `This page cannot ${body._action ?? 'do that'}`);
}
