/**
 * The operations on records that the API and the pages share: validation, unique fields,
 * references between entities and counters. Errors are HttpErrors naming the offending field.
 */
import { HttpError } from './http.js';
import { own } from './own.js';
import { validate } from './validate.js';

export class Records {
  constructor(store, models) {
    this.store = store;
    this.models = models;
    this.byName = new Map(models.map((m) => [m.name, m]));
  }

  list(model, filter = {}) {
    const fields = new Set(model.fields.map((f) => f.name));
    const wanted = Object.entries(filter).filter(([key]) => fields.has(key));
    return this.store
      .list(model.collection)
      .filter((record) => wanted.every(([key, value]) => String(own(record, key)) === String(value)));
  }

  get(model, id) {
    const record = typeof id === 'number' ? this.store.get(model.collection, id) : undefined;
    if (!record) throw new HttpError(404, `${model.name} ${id} was not found`);
    return record;
  }

  async create(model, input) {
    const values = this.#check(model, input, { partial: false });
    return this.store.insert(model.collection, values);
  }

  async update(model, id, input) {
    this.get(model, id);
    const values = this.#check(model, input, { partial: true, id });
    return this.store.update(model.collection, id, values);
  }

  async remove(model, id) {
    this.get(model, id);
    // Records that belonged to this one stay, without the reference.
    const references = this.models.flatMap((other) =>
      other.fields
        .filter((f) => f.type === 'ref' && f.target === model.name)
        .map((f) => ({ collection: other.collection, field: f.name })),
    );
    await this.store.remove(model.collection, id, references);
  }

  async increment(model, id, fieldName) {
    const record = this.get(model, id);
    return this.store.update(model.collection, id, { [fieldName]: (own(record, fieldName) ?? 0) + 1 });
  }

  #check(model, input, { partial, id }) {
    const { values, errors } = validate(model, input, { partial });
    if (errors.length) throw invalid(model, errors, 400);
    for (const field of model.fields) {
      const value = values[field.name];
      if (value === undefined || value === null) continue;
      if (field.type === 'ref' && !this.store.get(this.byName.get(field.target).collection, value)) {
        errors.push({ field: field.name, message: `there is no ${field.target} ${value}` });
      }
    }
    if (errors.length) throw invalid(model, errors, 400);
    for (const field of model.fields.filter((f) => f.unique)) {
      const value = values[field.name];
      if (value === undefined || value === null) continue;
      const taken = this.store
        .list(model.collection)
        .some((r) => r.id !== id && own(r, field.name) === value);
      if (taken)
        errors.push({
          field: field.name,
          message: `another ${model.name} already has this ${field.label.toLowerCase()}`,
        });
    }
    if (errors.length) throw invalid(model, errors, 409);
    return values;
  }
}

function invalid(model, errors, status) {
  const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
  return new HttpError(status, `${model.name} is invalid: ${summary}`, errors);
}
