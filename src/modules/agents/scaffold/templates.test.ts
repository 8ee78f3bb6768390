import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { unusualBlueprint } from '../../../../test/support/unusual-blueprint.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { parseSmokeYaml } from '../../automation/index.ts';
import {
  type Blueprint,
  exposeEntity,
  fillGapsWithAssumptions,
  isReadyToBuild,
  parseBlueprint,
  type TemplateId,
} from '../../blueprint/index.ts';
import { parsePipelineFile, readTestReports } from '../../pipelines/index.ts';
import { autopilotBlueprint, ruleArchitectTurn } from '../../studio/index.ts';
import { RECORD_TEMPLATES } from './generate-docs.ts';
import { listTemplates, renderTemplate } from './templates.ts';

const TEMPLATES = ['crud-app', 'landing-page', 'api-service', 'dashboard', 'static-site'] as const;

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function writeApp(files: Map<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-scaffold-'));
  dirs.push(dir);
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** Starts `node server.js` on a free port and resolves its URL once it says it is listening. */
async function startApp(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: path.join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no "Listening on" within 20 s: ${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const found = /Listening on (http:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(deadline);
        resolve(found[1]!);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { url, child };
}

/**
 * Generates the app, runs its tests as its pipeline does (the steps of its `.orchard/pipeline.yml`,
 * the PATH of this Node), reads the test report the job declares as Orchard would, then starts the
 * app and checks /health and a page.
 */
async function proveApp(template: TemplateId, blueprint: Blueprint): Promise<Map<string, string>> {
  const files = renderTemplate(template, blueprint);
  const dir = await writeApp(files);
  const { test } = parsePipelineFile(files.get('.orchard/pipeline.yml')!).jobs;
  const PATH = `${path.dirname(process.execPath)}:${process.env.PATH}`;
  for (const step of test!.steps) {
    await run('sh', ['-ec', step.run], { cwd: dir, env: { PATH } }).catch(
      (err: { stdout: string; stderr: string }) => {
        throw new Error(
          `step "${step.name}" failed in ${dir}:\n${err.stdout.slice(-4000)}\n${err.stderr.slice(-2000)}`,
        );
      },
    );
  }
  const report = await readTestReports({ workspace: dir, globs: test!.reports, mask: (text) => text });
  expect(report).toMatchObject({
    failed: 0,
    notes: [],
    files: [{ path: 'reports/junit.xml', format: 'junit' }],
  });
  expect(report!.passed).toBeGreaterThan(5);

  const { url, child } = await startApp(dir);
  try {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    if (template === 'api-service') {
      // No pages: the root names the API and points at its OpenAPI document.
      expect(await home.json()).toMatchObject({ name: blueprint.feature, docs: '/openapi.json' });
      const doc = await fetch(`${url}/openapi.json`);
      expect(await validOpenApi(await doc.text())).toEqual([]);
    } else {
      expect(await home.text()).toContain('<link rel="stylesheet" href="/assets/theme.css">');
    }
  } finally {
    child.kill('SIGTERM');
  }
  return files;
}

/**
 * The errors a real OpenAPI validator finds in a document (its structural rules). The validator
 * looks a schema property's type up by the property's name through JavaScript's prototype chain (a
 * property `constructor` "is" a function, `valueOf` crashes it), so such names are renamed in the
 * copy it reads: JSON Schema allows any property name, and the app's own tests read the real ones.
 */
async function validOpenApi(source: string): Promise<string[]> {
  const rename = (name: string) => (name in Object.prototype ? `${name}_renamed` : name);
  const readable = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => (key === 'required' ? rename(item) : readable(item)));
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [key === 'properties' ? rename(k) : k, readable(v, k)]),
    );
  };
  const config = await createConfig({ extends: ['minimal'] });
  const problems = await lintFromString({
    source: JSON.stringify(readable(JSON.parse(source))),
    absoluteRef: '/openapi.json',
    config,
  });
  return problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
}

describe('templates catalog', () => {
  it('every template pre-fills a Blueprint that is ready to build', () => {
    for (const template of listTemplates()) {
      expect(isReadyToBuild(template.blueprint), template.id).toEqual({ ready: true, unmet: [] });
      expect(template.blueprint.template).toBe(template.id);
    }
  });

  it('lists each template with a pre-filled Blueprint', () => {
    const templates = listTemplates();
    expect(templates.map((t) => t.id)).toEqual([...TEMPLATES]);
    for (const t of templates) {
      expect(t.name).not.toBe('');
      expect(t.description).not.toBe('');
      expect(t.blueprint.schemaVersion).toBe(1);
    }
    // Each call hands out a fresh copy.
    listTemplates()[0]!.blueprint.feature = 'changed';
    expect(listTemplates()[0]!.blueprint.feature).not.toBe('changed');
  });

  it('renders deterministically, with the Orchard files and nothing to install', () => {
    for (const { id, blueprint } of listTemplates()) {
      const files = renderTemplate(id, blueprint);
      expect(renderTemplate(id, blueprint)).toEqual(files);
      expect(parsePipelineFile(files.get('.orchard/pipeline.yml')!).jobs).toEqual({
        test: expect.objectContaining({
          steps: [
            {
              name: 'test',
              run: 'mkdir -p reports\nnode --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml\n',
            },
          ],
          reports: { junit: ['reports/junit.xml'], tap: [] },
        }),
      });
      expect(files.get('.gitignore')).toMatch(/^reports\/$/m);
      const appYml = YAML.parse(files.get('.orchard/app.yml')!);
      expect(appYml).toMatchObject({ start: 'node server.js', healthPath: '/health' });
      // An app that keeps records gets a PostgreSQL database of its own, and its migration runs at deploy.
      expect([appYml.database, appYml.migrate]).toEqual(
        RECORD_TEMPLATES.includes(id) ? ['postgres', 'node scripts/migrate.js'] : [undefined, undefined],
      );
      // The templates a visit of the Blueprint's pages would not prove carry a smoke suite of their own.
      const smoke = files.get('.orchard/smoke.yml');
      if (['api-service', 'dashboard', 'static-site'].includes(id))
        expect(parseSmokeYaml(smoke!).pages.length, id).toBeGreaterThan(1);
      else expect(smoke).toBeUndefined();
      const pkg = JSON.parse(files.get('package.json')!);
      expect(pkg.dependencies).toBeUndefined();
      expect(pkg.scripts).toEqual({
        start: 'node server.js',
        test: 'node --test',
        migrate: 'node scripts/migrate.js',
      });
      for (const required of [
        'server.js',
        'README.md',
        'public/theme.css',
        ...(id === 'api-service' ? ['lib/openapi.js', 'test/openapi.test.js'] : ['test/pages.test.js']),
        'docs/spec.md',
      ]) {
        expect(files.has(required), `${id}: ${required}`).toBe(true);
      }
      for (const [file, text] of files) {
        if (!file.endsWith('.js')) continue;
        for (const [, specifier] of text.matchAll(/\bfrom '([^']+)'/g)) {
          expect(specifier, `${id}: ${file}`).toMatch(/^(node:|\.\.?\/)/);
        }
      }
    }
  });

  it('writes the design tokens as CSS variables', () => {
    const { blueprint } = listTemplates()[0]!;
    const css = renderTemplate('crud-app', blueprint).get('public/theme.css')!;
    expect(css).toContain(`--color-primary: ${blueprint.sections.designSystem.tokens.colors.primary};`);
    expect(css).toMatch(/--color-on-primary: #(ffffff|111111);/);
    expect(css).toMatch(/--font-heading: .+;/);
    // The type scale: what the Blueprint sets, the defaults for the rest, and the base styles use it.
    const sized = structuredClone(blueprint);
    sized.sections.designSystem.tokens.fontSizes = { h1: '3rem' };
    const sizedCss = renderTemplate('crud-app', sized).get('public/theme.css')!;
    expect(sizedCss).toContain('--text-h1: 3rem;');
    expect(sizedCss).toContain('--text-body: 1rem;');
    const base = renderTemplate('crud-app', sized).get('public/app.css')!;
    for (const size of ['body', 'small', 'h1', 'h2', 'h3']) expect(base).toContain(`var(--text-${size})`);
  });

  it('refuses an unknown template', () => {
    expect(() => renderTemplate('wordpress', listTemplates()[0]!.blueprint)).toThrow(ValidationError);
    expect(() => renderTemplate('wordpress', listTemplates()[0]!.blueprint)).toThrow(
      'There is no template wordpress (templates: crud-app, landing-page, api-service, dashboard, static-site)',
    );
  });

  it('renders any autopilot Blueprint without error', () => {
    for (const prompt of [
      '',
      'a blog with posts, comments, likes and authors',
      'an event site with guests',
      'track my plants',
      'a REST API for books and their authors',
      'a dashboard of my expenses',
      'a blog about my travels',
    ]) {
      for (const template of TEMPLATES) {
        expect(renderTemplate(template, autopilotBlueprint(prompt, template)).size).toBeGreaterThan(20);
      }
    }
  });
});

describe('generated apps pass their own tests and answer /health', () => {
  it.each(TEMPLATES)(
    '%s from its pre-filled Blueprint',
    async (id) => {
      await proveApp(id, listTemplates().find((t) => t.id === id)!.blueprint);
    },
    180_000,
  );

  it('crud-app from "a photo gallery where visitors can like photos"', async () => {
    const files = await proveApp(
      'crud-app',
      autopilotBlueprint('a photo gallery where visitors can like photos'),
    );
    expect(files.get('models/photo.js')).toContain(
      "counters: [{ action: 'like', field: 'likes', path: '/api/photos/:id/like', label: 'Like' }]",
    );
  }, 180_000);

  it('crud-app from "a recipe box with ingredients and ratings"', async () => {
    const files = await proveApp('crud-app', autopilotBlueprint('a recipe box with ingredients and ratings'));
    expect(files.get('models/recipe.js')).toContain(
      "children: [{ model: 'Ingredient', field: 'recipeId', label: 'Ingredients' }]",
    );
  }, 180_000);

  it('landing-page from "a coming soon page for my bakery with a contact form"', async () => {
    await proveApp(
      'landing-page',
      autopilotBlueprint('a coming soon page for my bakery with a contact form'),
    );
  }, 180_000);

  it('crud-app with every page kind, a custom endpoint and markup in its names', async () => {
    let bp = autopilotBlueprint('a blog with posts, comments, likes and authors');
    const script = [
      `set feature Tom's "Blog" <b>&`,
      'add entity Tag with label:text! unique, color:enum(red|green|blue), weight:number, since:datetime, active:boolean',
      'add page Write at /write showing Post as form',
      'add page About at /about',
      'add endpoint GET /api/posts/popular for Post - the most liked posts',
      'add endpoint GET /api/stats - numbers about the blog',
    ].join('\n');
    const turn = ruleArchitectTurn(bp, script);
    expect(turn.patch.length, turn.reply).toBeGreaterThan(0);
    bp = turn.blueprint;
    const files = await proveApp('crud-app', bp);
    expect(files.get('app/custom-endpoints.js')).toContain("handle: notImplemented('the most liked posts')");
    expect(files.get('README.md')).toContain('## Still to write');
  }, 180_000);

  it('crud-app from "Track my classes, constructors and prototypes for a JavaScript course"', async () => {
    const files = await proveApp(
      'crud-app',
      autopilotBlueprint('Track my classes, constructors and prototypes for a JavaScript course'),
    );
    expect(files.get('models/class.js')).toContain('export const classModel = {');
    expect(files.get('models/constructor.js')).toContain('export const constructorModel = {');
    expect(files.get('models/index.js')).toContain("import { classModel } from './class.js';");
  }, 180_000);

  it('crud-app whose entities and fields carry reserved words as they are (as an LLM or a patch may write them)', async () => {
    const fields = [
      'constructor',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      'class',
      'delete',
    ].map((name, i) => ({ name, type: i === 0 ? 'text' : i === 3 ? 'boolean' : 'text', required: i === 0 }));
    const bp = parseBlueprint({
      schemaVersion: 1,
      template: 'crud-app',
      feature: 'Reserved words',
      summary: 'Every name here is a word JavaScript or its objects already use.',
      sections: {
        dataModel: {
          // Index: its module cannot be models/index.js, which lists the models (found by the corpus).
          entities: ['New', 'Function', 'Default', 'Enum', 'Prototype', 'Index'].map((name) => ({
            name,
            fields,
          })),
        },
      },
    });
    for (const entity of bp.sections.dataModel.entities) exposeEntity(bp, entity.name);
    fillGapsWithAssumptions(bp);
    const files = await proveApp('crud-app', parseBlueprint(bp));
    expect(files.get('models/index.js')).toContain(
      'export const models = [newModel, functionModel, defaultModel, enumModel, prototypeModel, index];',
    );
    expect(files.get('models/index.js')).toContain("import { index } from './index-model.js';");
    expect(files.has('models/index-model.js')).toBe(true);
  }, 180_000);
});

describe('api-service, dashboard and static-site apps, from prompts and from names that mean something else', () => {
  it('the OpenAPI validator these tests use refuses a broken document', async () => {
    const doc = {
      openapi: '3.1.0',
      info: { version: '1' },
      paths: { '/x': { get: { responses: { 200: 'ok' } } } },
    };
    expect(await validOpenApi(JSON.stringify(doc))).toEqual([
      'struct: The field `title` must be present on this level. at #/info',
      expect.stringMatching(/^struct: .* at #\/paths\/~1x\/get\/responses\/200$/),
    ]);
  });

  it('api-service from "a REST API for books and their authors": no pages, every route in a valid OpenAPI 3.1 document', async () => {
    const bp = autopilotBlueprint('a REST API for books and their authors');
    expect(bp.template).toBe('api-service');
    expect(bp.sections.pages).toEqual([]);
    const files = await proveApp('api-service', bp);
    expect([...files.keys()].filter((f) => f.startsWith('lib/pages/') && f !== 'lib/pages/index.js')).toEqual(
      ['lib/pages/custom.js'],
    );
    expect(files.get('lib/extensions/index.js')).toContain(
      "import { register as apiDocs } from './api-docs.js';",
    );
    expect(files.get('test/book.test.js')).toContain(
      'what the API stores and answers is what its OpenAPI document says',
    );
  }, 180_000);

  it('dashboard from "a dashboard of my expenses by category": charts at /, list and detail pages', async () => {
    const bp = autopilotBlueprint('a dashboard of my expenses by category');
    expect(bp.template).toBe('dashboard');
    expect(bp.sections.pages[0]).toMatchObject({ path: '/', kind: 'dashboard' });
    const files = await proveApp('dashboard', bp);
    expect(files.get('test/pages.test.js')).toContain('data-model="Expense" data-total="2"');
    expect(files.get('app/site.js')).toContain("'/assets/dashboard.css'");
  }, 180_000);

  it('static-site from "a blog about my travels": Markdown pages, a folder of posts, navigation', async () => {
    const bp = autopilotBlueprint('a blog about my travels');
    expect(bp.template).toBe('static-site');
    expect(bp.sections.apiEndpoints).toEqual([]);
    const files = await proveApp('static-site', bp);
    expect(files.get('content/index.md')).toBe(`# ${bp.feature}\n\n${bp.summary}\n`);
    expect(files.has('content/posts/welcome.md')).toBe(true);
    expect(files.has('content/about.md')).toBe(true);
    expect([...files.keys()].some((f) => f.startsWith('models/') && f !== 'models/index.js')).toBe(false);
  }, 180_000);

  it.each(TEMPLATES)(
    '%s whose entities and fields are reserved words in JavaScript, SQL and HTML, and whose words are not Latin',
    async (template) => {
      const files = await proveApp(template, unusualBlueprint(template));
      if (template === 'static-site')
        expect(files.get('content/about.md')).toBe(
          '# О нас\n\nКто мы \\<i\\>такие\\</i\\>\n\n## \\*Главное\\*\n\n\\_Не\\_ курсив: \\[ссылка\\](javascript:alert(1))\n',
        );
    },
    180_000,
  );
});
