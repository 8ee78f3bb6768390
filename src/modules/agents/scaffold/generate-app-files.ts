/**
 * The generated, Blueprint-specific files of an app: one module per model, the site (pages and
 * navigation), the page-kind registry, the custom endpoint stubs and the theme (design tokens as
 * CSS variables). Everything else comes verbatim from the template parts.
 */

import {
  type Blueprint,
  DEFAULT_TOKENS,
  type DesignTokens,
  safeIdentifier,
  toKebabCase,
} from '../../blueprint/index.ts';
import type { AppModel, CustomEndpoint } from './app-model.ts';
import type { AppPage } from './app-pages.ts';
import { jsLiteral, jsString } from './js-literal.ts';

/** `photo`, `blog-post`; `index-model` for an entity named Index (models/index.js lists the models). */
const modelBase = (model: AppModel) => {
  const base = toKebabCase(model.name);
  return base === 'index' ? 'index-model' : base;
};
export const modelFile = (model: AppModel) => `models/${modelBase(model)}.js`;
/** The model's variable: `photo`, or `classModel` for an entity whose camelCase name is reserved. */
const modelVariable = (model: AppModel) => safeIdentifier(model.name, 'Model');

export function modelModule(model: AppModel): string {
  const { name, title, label, collection, description, fields, actions, routes, counters, children } = model;
  const definition = {
    name,
    title,
    label,
    collection,
    description,
    fields,
    actions,
    routes,
    counters,
    children,
  };
  return `// ${name}, generated from the Blueprint. The app reads this definition: edit it to change the
// fields and their validation, or which endpoints exist (routes) and what the pages may do (actions).
export const ${modelVariable(model)} = ${jsLiteral(definition)};
`;
}

export function modelsIndex(models: AppModel[]): string {
  const imports = [...models]
    .sort((a, b) => toKebabCase(a.name).localeCompare(toKebabCase(b.name)))
    .map((m) => `import { ${modelVariable(m)} } from './${modelBase(m)}.js';`);
  return `${imports.join('\n')}${imports.length ? '\n\n' : ''}export const models = [${models.map(modelVariable).join(', ')}];
`;
}

export function siteModule(
  bp: Blueprint,
  pages: AppPage[],
  nav: { label: string; path: string }[],
  models: AppModel[],
  partStyles: string[],
): string {
  const site = {
    name: bp.feature || 'My app',
    summary: bp.summary,
    pages,
    nav,
    /** Landing page feature cards: the Blueprint's UI components on a landing-page Blueprint. */
    features: bp.template === 'landing-page' ? bp.sections.uiComponents : [],
    components: bp.sections.uiComponents,
    models: models
      .map((m) => ({
        label: m.label,
        description: m.description,
        href: pages.find((p) => p.kind === 'list' && p.entity === m.name)?.path,
      }))
      .filter((m) => m.href),
    styles: ['/assets/theme.css', '/assets/app.css', ...partStyles],
  };
  return `// The site, generated from the Blueprint: its pages (path, kind, the model they show) and the
// header navigation. Page kinds are rendered by lib/pages/<kind>.js.
export const site = ${jsLiteral(site)};
`;
}

/** `lib/extensions/index.js`: the routes the template's parts add (each file of lib/extensions/). */
export function extensionsIndex(files: string[]): string {
  const names = files.map((file) => ({ file, name: safeIdentifier(file.replace(/\.js$/, ''), 'Routes') }));
  return `// Routes the template's parts add beside the API and the pages: one module per file in this folder,
// each exporting register(router, { site, models, records, customEndpoints }). Generated.
${names.map((n) => `import { register as ${n.name} } from './${n.file}';`).join('\n')}${names.length ? '\n\n' : ''}export const extensions = [${names.map((n) => n.name).join(', ')}];
`;
}

export function pagesIndex(kinds: string[]): string {
  const sorted = [...new Set(kinds)].sort();
  return `// The page kinds this app uses; each module renders a page and may handle its form posts.
${sorted.map((k) => `import * as ${k} from './${k}.js';`).join('\n')}

export const renderers = { ${sorted.join(', ')} };
`;
}

export function customEndpointsModule(custom: CustomEndpoint[]): string {
  const header = `// Endpoints the Blueprint describes that the scaffold cannot write by itself. Each answers
// 501 Not Implemented until its handle is replaced, e.g.
//   handle: async ({ params, query, input, records }) => ({ status: 200, body: { ... } })
`;
  if (!custom.length) return `${header}export const customEndpoints = [];\n`;
  const entries = custom.map(
    (ep) =>
      `  {\n    method: ${jsString(ep.method)},\n    path: ${jsString(ep.path)},\n    description: ${jsString(ep.description)},\n    handle: notImplemented(${jsString(ep.description)}),\n  },`,
  );
  return `${header}import { notImplemented } from '../lib/api.js';

export const customEndpoints = [
${entries.join('\n')}
];
`;
}

/** Black or white, whichever reads better on a hex color; white for other notations. */
function onColor(color: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color)?.[1];
  if (!hex) return '#ffffff';
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111111' : '#ffffff';
}

export function themeCss(tokens: DesignTokens): string {
  const merged = {
    colors: { ...DEFAULT_TOKENS.colors, ...tokens.colors },
    fonts: { ...DEFAULT_TOKENS.fonts, ...tokens.fonts },
    fontSizes: { ...DEFAULT_TOKENS.fontSizes, ...tokens.fontSizes },
    radii: { ...DEFAULT_TOKENS.radii, ...tokens.radii },
    spacing: { ...DEFAULT_TOKENS.spacing, ...tokens.spacing },
  };
  const lines = [
    ...Object.entries(merged.colors).map(([k, v]) => `  --color-${k}: ${v};`),
    `  --color-on-primary: ${onColor(merged.colors.primary ?? '')};`,
    ...Object.entries(merged.fonts).map(([k, v]) => `  --font-${k}: ${v};`),
    ...Object.entries(merged.fontSizes).map(([k, v]) => `  --text-${k}: ${v};`),
    ...Object.entries(merged.radii).map(([k, v]) => `  --radius-${k}: ${v};`),
    ...Object.entries(merged.spacing).map(([k, v]) => `  --space-${k}: ${v};`),
  ];
  return `/* The Blueprint's design tokens (generated; defaults fill the gaps). */
:root {
${lines.join('\n')}
}
`;
}
