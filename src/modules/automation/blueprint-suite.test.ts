import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusualBlueprint } from '../../../test/support/unusual-blueprint.ts';
import { FsBlobStore } from '../../platform/blobs/index.ts';
import { listTemplates, renderTemplate } from '../agents/index.ts';
import {
  type Blueprint,
  emptyBlueprint,
  exposeEntity,
  parseBlueprint,
  storiesFor,
  type TemplateId,
} from '../blueprint/index.ts';
import { blobArtifactStore } from './artifacts.ts';
import { storyChecks, suiteFromBlueprint } from './blueprint-suite.ts';
import { BrowserPool } from './browser-pool.ts';
import { runId, withRunId } from './run-id.ts';
import { runVerification } from './run-verification.ts';
import { parseSmokeYaml, type SmokeSuite } from './smoke-suite.ts';
import { createUrlGuard } from './url-guard.ts';

let pool: BrowserPool;
let dir: string;
const apps: ChildProcess[] = [];

beforeAll(async () => {
  pool = new BrowserPool({ recycleAfter: 50, maxConcurrency: 1 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-blueprint-suite-'));
});
afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await pool?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes a template's app for its own Blueprint and starts it on a free port. */
async function startTemplateApp(id: TemplateId, own?: Blueprint, name: string = id) {
  const template = listTemplates().find((t) => t.id === id)!;
  const blueprint = own ?? template.blueprint;
  const root = path.join(dir, name);
  const files = renderTemplate(id, blueprint);
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  const app = spawn(process.execPath, ['server.js'], {
    cwd: root,
    env: { PORT: '0', DATA_DIR: path.join(root, 'data'), PATH: process.env.PATH },
  });
  apps.push(app);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${id} did not start: ${out}`)), 15_000);
    app.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Listening on http:\/\/localhost:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    app.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
  });
  return { blueprint, port, files };
}

async function verify(port: number, suite: SmokeSuite, prefix: string, pageTimeoutMs?: number) {
  const result = await runVerification({
    baseUrl: `http://127.0.0.1:${port}/`,
    suite,
    pool,
    guard: createUrlGuard({ environment: [{ hostname: '127.0.0.1', port }] }),
    artifacts: blobArtifactStore(new FsBlobStore(path.join(dir, 'blobs'))),
    artifactPrefix: prefix,
    ...(pageTimeoutMs ? { pageTimeoutMs } : {}),
  });
  const failures = result.pages.flatMap((p) =>
    p.checks.filter((c) => !c.passed).map((c) => `${p.name}: ${c.name}: ${c.message}`),
  );
  return { result, failures };
}

describe('suiteFromBlueprint against the scaffold templates (real app, real Chromium)', () => {
  for (const id of ['crud-app', 'landing-page'] as const) {
    it(`every visitable page of the ${id} template passes`, { timeout: 120_000 }, async () => {
      const { blueprint, port } = await startTemplateApp(id);
      const suite = suiteFromBlueprint(blueprint);
      expect(suite.pages.length).toBeGreaterThan(0);
      const { result, failures } = await verify(
        port,
        withRunId(suite, runId(), `http://127.0.0.1:${port}`),
        id,
      );
      expect(failures).toEqual([]);
      expect(result.passed).toBe(true);
      expect(result.pages.map((p) => p.name)).toEqual(suite.pages.map((p) => p.name));
    });
  }
});

describe("the templates' own smoke suites, with the Blueprint's stories, as a deploy verifies them (real app, real Chromium)", () => {
  for (const id of ['api-service', 'dashboard', 'static-site'] as const) {
    for (const [what, own] of [
      ['its own Blueprint', undefined],
      ['a Blueprint of reserved words and non-Latin names', unusualBlueprint(id)],
    ] as const) {
      // An app started and walked page by page in Chromium: 8–22 s alone, longer on a loaded machine.
      it(`${id}: .orchard/smoke.yml and the stories pass on the app built from ${what}`, {
        timeout: 120_000,
      }, async () => {
        const { blueprint, port, files } = await startTemplateApp(
          id,
          own,
          `${id}-${own ? 'unusual' : 'own'}`,
        );
        const smoke = parseSmokeYaml(files.get('.orchard/smoke.yml')!);
        const suite = { ...smoke, pages: [...smoke.pages, ...storyChecks(blueprint)] };
        const { result, failures } = await verify(
          port,
          withRunId(suite, runId(), `http://127.0.0.1:${port}`),
          `${id}-smoke-${own ? 'unusual' : 'own'}`,
        );
        expect(failures).toEqual([]);
        expect(result.passed).toBe(true);
        expect(result.pages.length).toBeGreaterThan(2);
      });
    }
  }

  it('a smoke suite fails on an app that does not do what it checks (the static site without its entries)', async () => {
    const { port, files } = await startTemplateApp('static-site', undefined, 'static-site-broken');
    const smoke = parseSmokeYaml(files.get('.orchard/smoke.yml')!);
    await rm(path.join(dir, 'static-site-broken', 'content', 'guides'), { recursive: true });
    const { result, failures } = await verify(port, smoke, 'static-site-broken', 3_000);
    expect(result.passed).toBe(false);
    expect(failures.join('\n')).toMatch(/^Guides: click "\.entries a"/m);
  });
});

describe('user stories the planner writes pass on the app the template builds (real app, real Chromium)', () => {
  it('adds a record through each list page, again on a second run, with unique, required, enum and date fields', async () => {
    const bp = emptyBlueprint('Class tracker');
    bp.template = 'crud-app';
    bp.sections.dataModel.entities.push({
      name: 'Course',
      fields: [
        { name: 'code', type: 'text', required: true, unique: true },
        { name: 'level', type: 'enum', required: true, enumValues: ['beginner', 'advanced'] },
        { name: 'startsOn', type: 'date', required: true },
        { name: 'seats', type: 'integer', required: false },
        { name: 'online', type: 'boolean', required: true },
        { name: 'notes', type: 'longtext', required: false },
        { name: 'cover', type: 'url', required: true },
      ],
      relations: [],
    });
    exposeEntity(bp, 'Course');
    bp.userStories = storiesFor(bp);
    expect(bp.userStories.map((s) => s.id)).toEqual(['add-course']);
    const { port } = await startTemplateApp('crud-app', parseBlueprint(bp), 'stories');
    const suite = suiteFromBlueprint({ ...bp, sections: { ...bp.sections, pages: [] } });
    expect(suite.pages.map((p) => p.name)).toEqual([expect.stringMatching(/^Story add-course: /)]);
    for (const run of ['first', 'second']) {
      const id = runId();
      const { result, failures } = await verify(
        port,
        withRunId(suite, id, `http://127.0.0.1:${port}`),
        `stories-${run}`,
      );
      expect(failures, run).toEqual([]);
      expect(result.passed).toBe(true);
    }
  });

  it('fails a story whose check the app does not pass, saying which step', async () => {
    const template = listTemplates().find((t) => t.id === 'crud-app')!;
    const { port } = await startTemplateApp('crud-app', undefined, 'crud-app-broken-story');
    const page = template.blueprint.sections.pages.find((p) => p.kind === 'list' && p.path)!;
    const { result, failures } = await verify(
      port,
      suiteFromBlueprint({
        sections: { pages: [] },
        userStories: [
          {
            id: 'export-csv',
            story: 'As a user, I can export the list as CSV.',
            acceptance: [
              { text: 'An export link', check: { path: page.path!, steps: [{ click: 'text=Export CSV' }] } },
            ],
          },
        ],
      }),
      'broken-story',
      3_000,
    );
    expect(result.passed).toBe(false);
    expect(failures.join('\n')).toMatch(/Story export-csv: An export link: click "text=Export CSV"/);
  });
});
