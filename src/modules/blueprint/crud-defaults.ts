/**
 * The conventional endpoints and pages of an entity (`/api/photos`, `/photos`, `/photos/:id`), added
 * when an entity is created so a new entity is usable at once. The scaffold templates recognise
 * exactly these shapes.
 */
import type { ApiEndpoint, Blueprint, EndpointAction, HttpMethod, Page } from './blueprint-schema.ts';
import { collectionName, humanize, pluralizeName, withArticle } from './naming.ts';

export type CrudAction = Exclude<EndpointAction, 'custom'>;
export const CRUD_ACTIONS: readonly CrudAction[] = ['list', 'create', 'get', 'update', 'delete'];

/** The canonical method and path of a standard action on an entity. */
export function crudRoute(entity: string, action: CrudAction): { method: HttpMethod; path: string } {
  const base = `/api/${collectionName(entity)}`;
  switch (action) {
    case 'list':
      return { method: 'GET', path: base };
    case 'create':
      return { method: 'POST', path: base };
    case 'get':
      return { method: 'GET', path: `${base}/:id` };
    case 'update':
      return { method: 'PUT', path: `${base}/:id` };
    case 'delete':
      return { method: 'DELETE', path: `${base}/:id` };
  }
}

export function crudEndpoint(entity: string, action: CrudAction): ApiEndpoint {
  const plural = humanize(pluralizeName(entity)).toLowerCase();
  const one = humanize(entity).toLowerCase();
  const descriptions = {
    list: `List ${plural}`,
    get: `Get one ${one}`,
    create: `Create ${withArticle(one)}`,
    update: `Update ${withArticle(one)}`,
    delete: `Delete ${withArticle(one)}`,
  };
  return { ...crudRoute(entity, action), entity, action, description: descriptions[action] };
}

/** `Photos` at `/photos` and `Photo details` at `/photos/:id`; `readOnly` for pages nobody edits on. */
export function defaultPages(entity: string, { readOnly = false } = {}): Page[] {
  const plural = collectionName(entity);
  const many = humanize(pluralizeName(entity)).toLowerCase();
  return [
    {
      name: humanize(pluralizeName(entity)),
      path: `/${plural}`,
      purpose: readOnly ? `Every one of the ${many}` : `Browse ${many} and add new ones`,
      entity,
      kind: 'list',
      components: [],
    },
    {
      name: `${humanize(entity)} details`,
      path: `/${plural}/:id`,
      purpose: `${readOnly ? 'Read' : 'See and edit'} one ${humanize(entity).toLowerCase()}`,
      entity,
      kind: 'detail',
      components: [],
    },
  ];
}

/**
 * Adds what the Blueprint's template needs to make the entity usable, and returns what was added:
 * an app (crud-app, dashboard) gets the conventional endpoints and its list and detail pages; an
 * api-service only the endpoints (it has no pages); a landing page only `create` (its entities are
 * form submissions); a static site only the pages (its entries are Markdown files, there is no API).
 */
export function exposeEntity(bp: Blueprint, entity: string): { endpoints: ApiEndpoint[]; pages: Page[] } {
  const template = bp.template ?? 'crud-app';
  const actions =
    template === 'landing-page' ? (['create'] as const) : template === 'static-site' ? [] : CRUD_ACTIONS;
  const endpoints = actions
    .map((action) => crudEndpoint(entity, action))
    .filter((ep) => !bp.sections.apiEndpoints.some((e) => e.method === ep.method && e.path === ep.path));
  bp.sections.apiEndpoints.push(...endpoints);
  const pages =
    template === 'landing-page' || template === 'api-service'
      ? []
      : defaultPages(entity, { readOnly: template === 'static-site' }).filter(
          (page) =>
            !bp.sections.pages.some((p) => p.entity === entity && p.kind === page.kind) &&
            !bp.sections.pages.some(
              (p) => p.path === page.path || p.name.toLowerCase() === page.name.toLowerCase(),
            ),
        );
  bp.sections.pages.push(...pages);
  return { endpoints, pages };
}

/** `GET/POST /api/photos, GET/PUT/DELETE /api/photos/:id` */
export function describeEndpoints(endpoints: ApiEndpoint[]): string {
  const byPath = new Map<string, string[]>();
  for (const ep of endpoints) byPath.set(ep.path, [...(byPath.get(ep.path) ?? []), ep.method]);
  return [...byPath].map(([path, methods]) => `${methods.join('/')} ${path}`).join(', ');
}
