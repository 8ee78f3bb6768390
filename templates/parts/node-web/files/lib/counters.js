/** Counters ("Like", "Vote"): a button that adds one, on list and detail pages. */
import { html } from './html.js';
import { HttpError } from './http.js';
import { own } from './own.js';

export function counterButtons(model, record, action) {
  return model.counters.map(
    (counter) => html`<form method="post" action="${action}" class="counter">
<input type="hidden" name="_action" value="count">
<input type="hidden" name="_id" value="${record.id}">
<input type="hidden" name="_field" value="${counter.field}">
<button type="submit">${counter.label} <span class="count">${own(record, counter.field) ?? 0}</span></button>
</form>`,
  );
}

/** Handles a counter button's post: adds one to the named counter of the named record. */
export async function countFromForm({ model, records, body }) {
  const counter = model.counters.find((c) => c.field === body._field);
  if (!counter) throw new HttpError(400, `${body._field} is not a counter of ${model.name}`);
  await records.increment(model, Number(body._id), counter.field);
}
