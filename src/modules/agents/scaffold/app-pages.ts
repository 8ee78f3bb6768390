/**
 * The pages a generated app serves: the Blueprint's pages with every path settled, plus what the
 * template promises — a CRUD app gets a list and a detail page per model and a home page; a
 * landing page always has its landing page at `/`.
 */

import { slugify } from '../../../platform/slugify.ts';
import { type Blueprint, defaultPages, type PageKind, type TemplateId } from '../../blueprint/index.ts';
import type { AppModel } from './app-model.ts';

export interface AppPage {
  name: string;
  path: string;
  kind: PageKind;
  entity?: string;
  purpose: string;
  components: string[];
}

/** Paths the app itself answers; a page there would never be reached. */
const RESERVED = /^\/(health|assets|api)(\/|$)/;

export function appPages(bp: Blueprint, template: TemplateId, models: AppModel[]): AppPage[] {
  const pages: AppPage[] = [];
  const taken = (path: string) => pages.some((p) => p.path === path);
  const free = (wanted: string) => {
    const base = RESERVED.test(wanted) ? `/page${wanted}` : wanted;
    // A suffix goes before the first parameter: /photos/:id → /photos-2/:id.
    const cut = base.indexOf('/:') < 0 ? base.length : base.indexOf('/:');
    let path = base;
    for (let n = 2; taken(path); n++) path = `${base.slice(0, cut) || '/page'}-${n}${base.slice(cut)}`;
    return path;
  };
  const add = (page: Omit<AppPage, 'path'> & { path?: string | undefined }) => {
    let path = page.path ?? `/${slugify(page.name, 'page')}`;
    if (page.kind === 'detail' && !path.includes(':')) path = `${path === '/' ? '' : path}/:id`;
    pages.push({ ...page, path: free(path), components: [...page.components] });
  };
  for (const page of bp.sections.pages) add(page);

  if (template === 'crud-app') {
    for (const model of models) {
      for (const page of defaultPages(model.name)) {
        if (!pages.some((p) => p.kind === page.kind && p.entity === model.name)) add(page);
      }
    }
  }
  if (!pages.some((p) => p.kind === 'landing')) {
    const form = template === 'landing-page' ? models.find((m) => m.actions.includes('create')) : undefined;
    const root = pages.find((p) => p.path === '/');
    if (root) root.path = free(`/${slugify(root.name, 'page')}`);
    pages.unshift({
      name: 'Home',
      path: '/',
      kind: 'landing',
      purpose: bp.summary,
      components: form ? ['hero', 'features', 'signup-form'] : ['hero', 'features'],
      ...(form ? { entity: form.name } : {}),
    });
  } else if (!pages.some((p) => p.path === '/')) {
    // Every app answers `/`: the first landing page moves there.
    const landing = pages.find((p) => p.kind === 'landing')!;
    landing.path = '/';
  }
  return pages;
}

/** Header links: pages without parameters, except home. */
export function navLinks(pages: AppPage[]): { label: string; path: string }[] {
  return pages
    .filter((p) => p.path !== '/' && !p.path.includes(':'))
    .map((p) => ({ label: p.name, path: p.path }));
}
