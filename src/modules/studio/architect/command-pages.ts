/** Applies the page, endpoint and UI component commands to a draft Blueprint. */
import { slugify } from '../../../platform/slugify.ts';
import {
  type Blueprint,
  CRUD_ACTIONS,
  collectionName,
  crudEndpoint,
  crudRoute,
  type EndpointAction,
  type HttpMethod,
  humanize,
  type Page,
  type PageKind,
  pluralizeName,
  ROUTE_PATH,
} from '../../blueprint/index.ts';
import { CommandRejected, findPage, requireEntity, requirePage } from './command-context.ts';

function checkPath(path: string, example: string): void {
  if (!ROUTE_PATH.test(path)) {
    throw new CommandRejected(
      `${path} is not a usable path: use letters, digits, dashes and :params, like /photos/:id.`,
      example,
    );
  }
}

function uniquePath(bp: Blueprint, wanted: string): string {
  let path = wanted;
  for (let n = 2; bp.sections.pages.some((p) => p.path === path); n++) path = `${wanted}-${n}`;
  return path;
}

interface AddPage {
  name: string;
  path?: string;
  entity?: string;
  pageKind?: PageKind;
}

export function addPage(bp: Blueprint, command: AddPage): string[] {
  const entity = command.entity ? requireEntity(bp, command.entity).name : undefined;
  const kind: PageKind =
    command.pageKind ??
    (command.path === '/' ? 'landing' : command.path?.includes(':') ? 'detail' : entity ? 'list' : 'custom');
  const name =
    command.name ||
    (kind === 'detail' ? `${humanize(entity ?? '')} details` : humanize(pluralizeName(entity ?? 'Page')));
  if (findPage(bp, name))
    throw new CommandRejected(`There is already a page named ${name}.`, `rename page ${name} to ${name} 2`);
  if ((kind === 'list' || kind === 'detail' || kind === 'form') && !entity) {
    throw new CommandRejected(
      `${kind === 'list' ? 'A list' : kind === 'detail' ? 'A detail' : 'A form'} page shows an entity; say which.`,
      `add page ${name} showing Photo as ${kind}`,
    );
  }
  let path = command.path;
  if (path) {
    checkPath(path, `add page ${name} at /${slugify(name, 'app')}`);
    const owner = bp.sections.pages.find((p) => p.path === path);
    if (owner)
      throw new CommandRejected(
        `Page ${owner.name} already uses ${path}.`,
        `move page ${owner.name} to /other`,
      );
  } else {
    const base = kind === 'detail' && entity ? `/${collectionName(entity)}/:id` : `/${slugify(name, 'page')}`;
    path = kind === 'landing' && !bp.sections.pages.some((p) => p.path === '/') ? '/' : uniquePath(bp, base);
  }
  const page: Page = { name, path, purpose: '', kind, components: [] };
  if (entity) page.entity = entity;
  bp.sections.pages.push(page);
  return [`Added ${kind} page ${name} at ${path}${entity ? ` showing ${entity}` : ''}.`];
}

export function removePage(bp: Blueprint, name: string): string[] {
  const page = requirePage(bp, name);
  bp.sections.pages = bp.sections.pages.filter((p) => p !== page);
  return [`Removed page ${page.name}.`];
}

export function renamePage(bp: Blueprint, from: string, to: string): string[] {
  const page = requirePage(bp, from);
  const taken = findPage(bp, to);
  if (taken && taken !== page) throw new CommandRejected(`There is already a page named ${taken.name}.`);
  const old = page.name;
  page.name = to;
  return [`Renamed page ${old} to ${to}.`];
}

export function movePage(bp: Blueprint, name: string, path: string): string[] {
  const page = requirePage(bp, name);
  checkPath(path, `move page ${page.name} to /${slugify(page.name, 'app')}`);
  const owner = bp.sections.pages.find((p) => p.path === path && p !== page);
  if (owner) throw new CommandRejected(`Page ${owner.name} already uses ${path}.`);
  page.path = path;
  return [`Page ${page.name} now lives at ${path}.`];
}

/** The standard action an endpoint of this shape performs, or `custom`. */
function actionOf(entity: string | undefined, method: HttpMethod, path: string): EndpointAction {
  if (!entity) return 'custom';
  return (
    CRUD_ACTIONS.find((a) => {
      const route = crudRoute(entity, a);
      return route.method === method && route.path === path;
    }) ?? (method === 'PATCH' && path === crudRoute(entity, 'update').path ? 'update' : 'custom')
  );
}

interface AddEndpoint {
  method: HttpMethod;
  path: string;
  entity?: string;
  description?: string;
}

export function addEndpoint(bp: Blueprint, command: AddEndpoint): string[] {
  const { method, path } = command;
  checkPath(path, `add endpoint ${method} /api/things/:id for Thing`);
  if (bp.sections.apiEndpoints.some((ep) => ep.method === method && ep.path === path)) {
    throw new CommandRejected(
      `${method} ${path} is already an endpoint.`,
      `remove endpoint ${method} ${path}`,
    );
  }
  const entity = command.entity ? requireEntity(bp, command.entity).name : undefined;
  const action = actionOf(entity, method, path);
  const description =
    command.description ?? (action !== 'custom' && entity ? crudEndpoint(entity, action).description : '');
  bp.sections.apiEndpoints.push({ method, path, action, description, ...(entity ? { entity } : {}) });
  return [`Added endpoint ${method} ${path}${entity ? ` for ${entity}` : ''} (${action}).`];
}

export function removeEndpoint(bp: Blueprint, method: HttpMethod, path: string): string[] {
  const endpoint = bp.sections.apiEndpoints.find((ep) => ep.method === method && ep.path === path);
  if (!endpoint) {
    const known = bp.sections.apiEndpoints.map((ep) => `${ep.method} ${ep.path}`).join(', ') || 'none yet';
    throw new CommandRejected(`There is no endpoint ${method} ${path} (endpoints: ${known}).`);
  }
  bp.sections.apiEndpoints = bp.sections.apiEndpoints.filter((ep) => ep !== endpoint);
  return [`Removed endpoint ${method} ${path}.`];
}

export function addComponent(bp: Blueprint, name: string, description: string): string[] {
  if (bp.sections.uiComponents.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    throw new CommandRejected(`There is already a UI component named ${name}.`);
  }
  bp.sections.uiComponents.push({
    name,
    description: description.charAt(0).toUpperCase() + description.slice(1),
  });
  return [`Added UI component ${name}.`];
}

export function removeComponent(bp: Blueprint, name: string): string[] {
  const found = bp.sections.uiComponents.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new CommandRejected(`There is no UI component named ${name}.`);
  bp.sections.uiComponents = bp.sections.uiComponents.filter((c) => c !== found);
  return [`Removed UI component ${found.name}.`];
}
