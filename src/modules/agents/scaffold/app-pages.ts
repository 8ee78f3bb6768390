/**
 * The pages a generated app serves: the Blueprint's pages with every path settled, plus what the
 * template promises — a CRUD app gets a list and a detail page per model and a home page; a
 * dashboard the same with its dashboard at `/`; a landing page always has its landing page at `/`;
 * a static site shows every page as Markdown (pages with a parameter show the entries of a
 * folder); an API service has no pages at all.
 */

import { slugify } from '../../../platform/slugify.ts';
import { type Blueprint, defaultPages, type PageKind, type TemplateId } from '../../blueprint/index.ts';
import type { AppModel } from './app-model.ts';

/** The Blueprint's page kinds, and a static site's two: a Markdown page and an entry of a folder. */
export type AppPageKind = PageKind | 'content' | 'entry';

export interface AppPage {
  name: string;
  path: string;
  kind: AppPageKind;
  entity?: string;
  purpose: string;
  components: string[];
  /** `content` pages: the Markdown file under `content/` the page shows. */
  content?: string;
  /** The folder under `content/` whose entries the page lists (`content`) or shows one of (`entry`). */
  collection?: string;
  /** `content` pages: the first heading of its Markdown (the site's name on a landing page at `/`). */
  heading?: string;
}

/** Paths the app itself answers; a page there would never be reached. */
const RESERVED = /^\/(health|assets|api|openapi\.json)(\/|$)/;

export function appPages(bp: Blueprint, template: TemplateId, models: AppModel[]): AppPage[] {
  if (template === 'api-service') return [];
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

  if (template === 'crud-app' || template === 'dashboard') {
    for (const model of models) {
      for (const page of defaultPages(model.name)) {
        if (!pages.some((p) => p.kind === page.kind && p.entity === model.name)) add(page);
      }
    }
  }
  if (template === 'dashboard') {
    // The dashboard is the app's home, unless the Blueprint put another page there.
    let dashboard = pages.find((p) => p.kind === 'dashboard');
    if (!dashboard) {
      add({
        name: 'Dashboard',
        path: taken('/') ? '/dashboard' : '/',
        kind: 'dashboard',
        purpose: bp.summary,
        components: [],
      });
      dashboard = pages.at(-1)!;
    }
    if (!taken('/')) dashboard.path = '/';
  } else if (template === 'static-site') {
    if (!taken('/'))
      pages.unshift({ name: 'Home', path: '/', kind: 'landing', purpose: bp.summary, components: [] });
    return markdownPages(pages, bp.feature || 'My app');
  } else if (!pages.some((p) => p.kind === 'landing')) {
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

/** `/posts/:id` → `/posts`: where the entries of a page with a parameter are listed. */
const entryPrefix = (path: string) => path.slice(0, path.lastIndexOf('/:')) || '/';

/**
 * A static site's pages: each page without a parameter shows a Markdown file of its own
 * (`/` → `index.md`, `/about/team` → `about-team.md`); each page with one shows an entry of a
 * folder (`/posts/:id` → `content/posts/<id>.md`), and the page at the folder's path lists them.
 */
function markdownPages(pages: AppPage[], siteName: string): AppPage[] {
  const namer = () => {
    const names = new Set<string>();
    return (base: string) => {
      let name = base;
      for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
      names.add(name);
      return name;
    };
  };
  const [folder, file] = [namer(), namer()];
  return pages
    .map(({ entity: _entity, ...page }): AppPage => {
      if (page.path.includes('/:'))
        return {
          ...page,
          kind: 'entry',
          collection: folder(slugify(page.path.replace(/\/:[^/]+/g, ''), 'entries')),
        };
      const heading = page.kind === 'landing' && page.path === '/' ? siteName : page.name;
      return {
        ...page,
        kind: 'content',
        heading,
        content: `${file(page.path === '/' ? 'index' : slugify(page.path, 'page'))}.md`,
      };
    })
    .map((page, _, all) => {
      const listed =
        page.kind === 'content' && all.find((e) => e.kind === 'entry' && entryPrefix(e.path) === page.path);
      return listed ? { ...page, collection: listed.collection! } : page;
    });
}

/** Header links: pages without parameters, except home. */
export function navLinks(pages: AppPage[]): { label: string; path: string }[] {
  return pages
    .filter((p) => p.path !== '/' && !p.path.includes(':'))
    .map((p) => ({ label: p.name, path: p.path }));
}
