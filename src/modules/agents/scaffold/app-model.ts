/**
 * What a generated app serves, derived from a Blueprint: each entity as a model with its fields,
 * the standard actions its endpoints grant (and where they live), its counters and the records
 * that belong to it; plus the custom endpoints that still need writing. Pure and deterministic.
 */
import {
  type ApiEndpoint,
  type Blueprint,
  CRUD_ACTIONS,
  type CrudAction,
  collectionName,
  crudRoute,
  type Entity,
  type FieldType,
  humanize,
  pluralizeName,
  pluralizeWord,
  type TemplateId,
} from '../../blueprint/index.ts';

export interface AppField {
  name: string;
  label: string;
  type: FieldType | 'ref';
  required: boolean;
  unique?: boolean;
  values?: string[];
  /** For `ref` fields: the model referred to. */
  target?: string;
  /** `image`: a URL shown as a picture. */
  display?: 'image';
}

export interface AppCounter {
  action: string;
  field: string;
  path: string;
  label: string;
}

export interface AppModel {
  name: string;
  /** `Blog post` */
  title: string;
  /** `Blog posts` */
  label: string;
  collection: string;
  description: string;
  fields: AppField[];
  actions: CrudAction[];
  routes: Partial<Record<CrudAction, string>>;
  counters: AppCounter[];
  children: { model: string; field: string; label: string }[];
}

export interface CustomEndpoint {
  method: ApiEndpoint['method'];
  path: string;
  description: string;
  entity?: string;
}

const IMAGE_NAME = /^(image|photo|picture|thumbnail|avatar|cover)(url)?$/i;

function isImage(entity: Entity, name: string): boolean {
  return IMAGE_NAME.test(name) || (name === 'url' && /photo|image|picture|pic/i.test(entity.name));
}

function appFields(entity: Entity): AppField[] {
  const fields: AppField[] = entity.fields.map((f) => ({
    name: f.name,
    label: humanize(f.name),
    type: f.type,
    required: f.required,
    ...(f.unique ? { unique: true } : {}),
    ...(f.type === 'enum' ? { values: f.enumValues ?? [] } : {}),
    ...(f.type === 'url' && isImage(entity, f.name) ? { display: 'image' as const } : {}),
  }));
  for (const rel of entity.relations) {
    if (rel.kind !== 'belongsTo') continue;
    fields.push({
      name: `${rel.name}Id`,
      label: humanize(rel.name),
      type: 'ref',
      required: false,
      target: rel.target,
    });
  }
  return fields;
}

/** `/api/photos/:photoId` → `/api/photos/:id`: the API reads the record id from `:id`. */
function withIdParam(path: string): string | undefined {
  const params = path.match(/:[A-Za-z0-9]+/g);
  if (!params) return undefined;
  const last = params[params.length - 1]!;
  const at = path.lastIndexOf(last);
  return `${path.slice(0, at)}:id${path.slice(at + last.length)}`;
}

function routesOf(bp: Blueprint, entity: Entity, template: TemplateId) {
  const endpoints = bp.sections.apiEndpoints.filter(
    (ep) => ep.entity === entity.name && ep.action !== 'custom',
  );
  // An entity without endpoints gets the conventional ones (a landing page's only take submissions).
  const granted: [CrudAction, string][] = endpoints.length
    ? endpoints.map((ep) => [ep.action as CrudAction, ep.path])
    : (template === 'landing-page' ? (['create'] as const) : CRUD_ACTIONS).map((a) => [
        a,
        crudRoute(entity.name, a).path,
      ]);
  const routes: Partial<Record<CrudAction, string>> = {};
  for (const [action, path] of granted) {
    if (routes[action]) continue;
    const canonical = crudRoute(entity.name, action).path;
    const byId = action === 'get' || action === 'update' || action === 'delete';
    routes[action] = byId ? (withIdParam(path) ?? canonical) : path.includes(':') ? canonical : path;
  }
  return { routes, actions: CRUD_ACTIONS.filter((a) => routes[a]) };
}

const COUNTER_PATH = /^(.*)\/:[A-Za-z0-9]+\/([a-z][A-Za-z0-9]*)$/;

/** `POST /api/photos/:id/like` with an integer `likes` field is a counter; other custom endpoints are stubs. */
function counterOf(entity: Entity, ep: ApiEndpoint): AppCounter | undefined {
  const m = ep.method === 'POST' ? COUNTER_PATH.exec(ep.path) : null;
  if (!m) return undefined;
  const verb = m[2]!;
  const candidates = [`${verb}s`, pluralizeWord(verb), `${verb}Count`, verb];
  const field = entity.fields.find((f) => f.type === 'integer' && candidates.includes(f.name));
  return field
    ? { action: verb, field: field.name, path: `${m[1]}/:id/${verb}`, label: humanize(verb) }
    : undefined;
}

export function appModels(
  bp: Blueprint,
  template: TemplateId,
): { models: AppModel[]; custom: CustomEndpoint[] } {
  const entities = bp.sections.dataModel.entities;
  const custom: CustomEndpoint[] = [];
  const counters = new Map<string, AppCounter[]>();
  for (const ep of bp.sections.apiEndpoints.filter((e) => e.action === 'custom')) {
    const entity = entities.find((e) => e.name === ep.entity);
    const counter = entity && counterOf(entity, ep);
    if (counter) counters.set(entity.name, [...(counters.get(entity.name) ?? []), counter]);
    else
      custom.push({
        method: ep.method,
        path: ep.path,
        description: ep.description,
        ...(ep.entity ? { entity: ep.entity } : {}),
      });
  }
  const models = entities.map((entity): AppModel => {
    const children = entity.relations
      .filter((r) => r.kind === 'hasMany')
      .flatMap((r) => {
        const back = entities
          .find((e) => e.name === r.target)
          ?.relations.find((b) => b.kind === 'belongsTo' && b.target === entity.name);
        return back ? [{ model: r.target, field: `${back.name}Id`, label: humanize(r.name) }] : [];
      });
    return {
      name: entity.name,
      title: humanize(entity.name),
      label: humanize(pluralizeName(entity.name)),
      collection: collectionName(entity.name),
      description: entity.description ?? '',
      fields: appFields(entity),
      ...routesOf(bp, entity, template),
      counters: counters.get(entity.name) ?? [],
      children,
    };
  });
  return { models, custom };
}
