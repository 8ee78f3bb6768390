import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../platform/blobs/index.ts';
import { listTemplates, renderTemplate } from '../agents/index.ts';
import {
  type Blueprint,
  emptyBlueprint,
  exposeEntity,
  parseBlueprint,
  storiesFor,
} from '../blueprint/index.ts';
import { blobArtifactStore } from './artifacts.ts';
import { suiteFromBlueprint } from './blueprint-suite.ts';
import { BrowserPool } from './browser-pool.ts';
import { runId, withRunId } from './run-id.ts';
import { runVerification } from './run-verification.ts';
import type { SmokeSuite } from './smoke-suite.ts';
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
async function startTemplateApp(id: 'crud-app' | 'landing-page', own?: Blueprint, name: string = id) {
  const template = listTemplates().find((t) => t.id === id)!;
  const blueprint = own ?? template.blueprint;
  const root = path.join(dir, name);
  for (const [file, text] of renderTemplate(id, blueprint)) {
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
  return { blueprint, port };
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
    it(`every visitable page of the ${id} template passes`, async () => {
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
