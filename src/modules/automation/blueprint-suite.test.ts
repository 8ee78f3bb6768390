import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../platform/blobs/index.ts';
import { listTemplates, renderTemplate } from '../agents/index.ts';
import { blobArtifactStore } from './artifacts.ts';
import { suiteFromBlueprint } from './blueprint-suite.ts';
import { BrowserPool } from './browser-pool.ts';
import { runVerification } from './run-verification.ts';
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
async function startTemplateApp(id: 'crud-app' | 'landing-page') {
  const template = listTemplates().find((t) => t.id === id)!;
  const root = path.join(dir, id);
  for (const [file, text] of renderTemplate(id, template.blueprint)) {
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
  return { blueprint: template.blueprint, port };
}

describe('suiteFromBlueprint against the scaffold templates (real app, real Chromium)', () => {
  for (const id of ['crud-app', 'landing-page'] as const) {
    it(`every visitable page of the ${id} template passes`, async () => {
      const { blueprint, port } = await startTemplateApp(id);
      const suite = suiteFromBlueprint(blueprint);
      expect(suite.pages.length).toBeGreaterThan(0);
      const result = await runVerification({
        baseUrl: `http://127.0.0.1:${port}/`,
        suite,
        pool,
        guard: createUrlGuard({ environment: [{ hostname: '127.0.0.1', port }] }),
        artifacts: blobArtifactStore(new FsBlobStore(path.join(dir, 'blobs'))),
        artifactPrefix: id,
      });
      const failures = result.pages.flatMap((p) =>
        p.checks.filter((c) => !c.passed).map((c) => `${p.name}: ${c.name}: ${c.message}`),
      );
      expect(failures).toEqual([]);
      expect(result.passed).toBe(true);
      expect(result.pages.map((p) => p.name)).toEqual(suite.pages.map((p) => p.name));
    });
  }
});
