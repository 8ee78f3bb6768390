import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, startWorkers } from '../../../../test/git.ts';
import { runOrchard } from '../../../../test/support/spawn-orchard.ts';
import { readSse } from '../../../platform/http/sse-reader.ts';
import { branchHead, ensureRepository, repositoryPath } from '../../git/index.ts';
import { getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * Offline (no LLM provider): a landing prompt becomes a project, a Blueprint, a branch with a
 * merge request, a passing pipeline, a verified staging deploy — all one operation.
 */
let t: TestApp;
let workers: WorkerPool;
let h: { authorization: string };
let token: string;
let base: string;

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  // App URLs and the browser robot's guard use the port Orchard really listens on.
  base = await listenApp(t);
  workers = await startWorkers(t);
  t.res.deploy.start({ bus: t.res.bus });
  token = (await t.user('member')).token;
  h = bearer(token);
});
afterAll(async () => {
  await workers?.stop();
  await t?.res.deploy.stop();
  await t?.res.browsers.close();
  await t?.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: h, payload });

async function stepStatus(operationId: string, key: string) {
  const op = await getOperation(t.res.db, operationId);
  return { op, step: op.steps.find((s) => s.key === key) };
}

/** Polls until the step has succeeded; fails early (with the operation's error) when the operation ends without it. */
async function untilStep(operationId: string, key: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { op, step } = await stepStatus(operationId, key);
    if (step?.status === 'succeeded') return op;
    if (['failed', 'cancelled'].includes(op.status))
      throw new Error(`operation ${op.status}: ${JSON.stringify(op.error)}`);
    if (Date.now() > deadline) throw new Error(`Timed out waiting for step ${key} (${step?.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function eventsOf(operationId: string) {
  const res = await api('GET', `/api/operations/${operationId}/events?limit=1000`);
  return res.json().items as Array<{ step: string | null; type: string; data: Record<string, unknown> }>;
}

describe('a landing prompt, offline', () => {
  let started: {
    operationId: string;
    projectSlug: string;
    blueprintId: string;
    eventsUrl: string;
    branch: string;
  };

  it('answers 202 at once and drives one operation to a passing test step, with the branch pushed and a merge request open', {
    timeout: 180_000,
  }, async () => {
    const res = await api('POST', '/api/prompts', {
      prompt: 'a photo gallery where visitors can like photos',
    });
    expect(res.statusCode, res.body).toBe(202);
    started = res.json();
    expect(started).toMatchObject({
      projectSlug: 'photo-gallery',
      branch: 'orchard/photo-gallery',
      eventsUrl: `/api/operations/${started.operationId}/events`,
    });
    const bp = (await api('GET', `/api/blueprints/${started.blueprintId}`)).json();
    expect(bp).toMatchObject({ status: 'building', readiness: { ready: true } });

    const op = await untilStep(started.operationId, 'test');
    const implement = op.steps.find((s) => s.key === 'implement')!;
    const repo = repositoryPath(t.config.home, started.projectSlug);
    const head = await branchHead(repo, 'orchard/photo-gallery');
    expect(head).toBeTruthy();
    expect(await gitOk(['ls-tree', '-r', '--name-only', head!], repo)).toContain('models/photo.js');
    expect(implement.status).toBe('succeeded');

    const mrs = (await api('GET', `/api/projects/${started.projectSlug}/merge-requests`)).json().items;
    expect(mrs).toHaveLength(1);
    expect(mrs[0]).toMatchObject({
      sourceBranch: 'orchard/photo-gallery',
      targetBranch: 'main',
      state: 'open',
      headSha: head,
    });
    expect(mrs[0].checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'pipeline', status: 'success' })]),
    );

    const events = await eventsOf(started.operationId);
    const phases = events.filter((e) => e.type === 'phase').map((e) => e.data.phase);
    expect(phases.slice(0, 5)).toEqual(['draft', 'spec', 'plan', 'implement', 'test']);
    for (const step of ['render-spec', 'plan', 'implement', 'test']) {
      const kinds = new Set(events.filter((e) => e.step === step).map((e) => e.type));
      expect([...kinds], step).toEqual(expect.arrayContaining(['phase', 'progress', 'log', 'artifact']));
    }
    const spec = events.find((e) => e.type === 'artifact' && e.data.kind === 'spec')!;
    expect(spec.data.url).toBe(`/api/artifacts/operations/${started.operationId}/render-spec/spec.md`);
    const blob = await t.res.blobs.get(spec.data.blobId as string);
    expect(blob?.size).toBeGreaterThan(100);
    const feature = (await api('GET', `/api/blueprints/${started.blueprintId}/features`)).json().items[0];
    expect(feature).toMatchObject({
      branch: 'orchard/photo-gallery',
      mergeRequestNumber: mrs[0].number,
      operationId: started.operationId,
    });
    expect(feature.spec).toMatch(/^# /);
  });

  it('checks the branch on its preview, merges the first build to main, and the commit of main is released and verified on staging', {
    timeout: 240_000,
  }, async () => {
    const op = await waitForOperation(t.res.db, started.operationId, { timeoutMs: 200_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const steps = (await getOperation(t.res.db, started.operationId)).steps;
    const output = (key: string) => steps.find((s) => s.key === key)?.output as Record<string, unknown>;
    // The build checks its own branch on the branch's preview…
    const report = output('verify') as { url: string; releaseId: string; sha: string };
    expect(output('verify/report')).toMatchObject({ passed: true, releaseId: report.releaseId });
    expect(report.url).toMatch(/^http:\/\/preview-orchard-photo-gallery--photo-gallery\.localhost:\d+\/$/);
    // …then, a first build, merges itself to main: main's pipeline passes, staging runs main.
    const landed = output('land') as {
      merged: boolean;
      sha: string;
      staging: { url: string; releaseId: string; verified: boolean };
    };
    expect(landed).toMatchObject({ merged: true, staging: { verified: true } });
    expect(landed.sha).toBe(report.sha); // a fast-forward: main runs the very commit the preview checked
    expect(landed.staging.url).toMatch(/^http:\/\/staging--photo-gallery\.localhost:\d+\/$/);
    const repo = repositoryPath(t.config.home, started.projectSlug);
    expect(await branchHead(repo, 'main')).toBe(landed.sha);
    const pipelines = (await api('GET', `/api/projects/${started.projectSlug}/pipelines`)).json().items;
    expect(pipelines.find((p: { ref: string }) => p.ref === 'main')).toMatchObject({
      sha: landed.sha,
      status: 'success',
    });

    const envs = (await api('GET', `/api/projects/${started.projectSlug}/environments`)).json().items;
    expect(envs.find((e: { name: string }) => e.name === 'staging')).toMatchObject({
      status: 'running',
      release: { sha: landed.sha, verified: true, branch: 'main' },
    });
    // Merged, the branch's preview is gone.
    expect(envs.map((e: { name: string }) => e.name)).not.toContain('preview/orchard/photo-gallery');
    const [mr] = (await api('GET', `/api/projects/${started.projectSlug}/merge-requests?state=all`)).json()
      .items;
    expect(mr).toMatchObject({ state: 'merged' });
    expect(mr.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'browser-verification', status: 'success' })]),
    );

    const events = await eventsOf(started.operationId);
    const shots = events.filter((e) => e.type === 'artifact' && e.data.kind === 'screenshot');
    expect(shots.length).toBeGreaterThan(0);
    expect(shots[0]!.step).toBe('verify/browser');
    expect(events.filter((e) => e.type === 'phase').map((e) => e.data.phase)).toEqual([
      'draft',
      'spec',
      'plan',
      'implement',
      'test',
      'deploy',
      'verify',
      'done',
    ]);
    const bp = (await api('GET', `/api/blueprints/${started.blueprintId}`)).json();
    expect(bp.status).toBe('built');
    const feature = (await api('GET', `/api/blueprints/${started.blueprintId}/features`)).json().items[0];
    expect(feature.phase).toBe('done');
    expect(feature.history.map((m: { to: string }) => m.to)).toEqual([
      'plan',
      'implement',
      'test',
      'deploy',
      'verify',
      'done',
    ]);

    // The one stream: replayed over SSE, it ends with the operation's `complete`.
    const response = await fetch(`${base}${started.eventsUrl}`, {
      headers: { ...h, accept: 'text/event-stream' },
    });
    const frames: Array<{ type: string }> = [];
    for await (const message of readSse(response.body!)) frames.push(JSON.parse(message.data));
    expect(frames.length).toBe(events.length);
    expect(frames.at(-1)?.type).toBe('complete');
  });
});

describe('a prompt full of JavaScript words', () => {
  it('builds: classes, constructors and prototypes become models whose generated tests pass in the pipeline', {
    timeout: 180_000,
  }, async () => {
    const res = await api('POST', '/api/prompts', {
      prompt: 'Track my classes, constructors and prototypes for a JavaScript course',
    });
    expect(res.statusCode, res.body).toBe(202);
    const { operationId, projectSlug, branch } = res.json();
    await untilStep(operationId, 'test');
    const repo = repositoryPath(t.config.home, projectSlug);
    const head = (await branchHead(repo, branch))!;
    const files = await gitOk(['ls-tree', '-r', '--name-only', head], repo);
    for (const file of [
      'models/class.js',
      'models/constructor.js',
      'models/prototype.js',
      'models/course.js',
    ])
      expect(files).toContain(file);
    expect(await gitOk(['show', `${head}:models/class.js`], repo)).toContain('export const classModel = {');
    // The test step passed: the app's own node --test ran in the pipeline. Deploy and verify are
    // the first test's business.
    expect((await api('POST', `/api/operations/${operationId}/cancel`)).statusCode).toBe(200);
  });
});

describe('`orchard prompt`', () => {
  it('runs the same loop from a terminal: follows the build live and ends with the addresses of the preview and of staging (exit 0)', {
    timeout: 240_000,
  }, async () => {
    const run = await runOrchard([
      'prompt',
      'a landing page for a neighbourhood bakery',
      '--url',
      base,
      '--token',
      token,
    ]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const [, slug, operationId] =
      run.stdout.match(/^Building (\S+) on orchard\/\S+ — operation (\S+)$/m) ?? [];
    expect(slug, run.stdout).toBeTruthy();
    expect(run.stdout).toContain(`Studio: ${base}/projects/${slug}/blueprints/`);
    // What kind of work the prompt is: a new project's first build is a new feature.
    expect(run.stdout).toMatch(/^a new feature \(rules, 100 %\): A build of the whole Blueprint/m);
    for (const step of ['implement', 'test', 'deploy', 'verify', 'land'])
      expect(run.stdout).toContain(`${step}: succeeded`);
    expect(run.stdout).toContain('Build succeeded');
    expect(run.stdout).toMatch(
      new RegExp(`^Preview: http://preview-orchard-\\S+--${slug}\\.localhost:\\d+/$`, 'm'),
    );
    const staging = run.stdout.match(/^Staging: (\S+)$/m)?.[1];
    expect(staging).toMatch(new RegExp(`^http://staging--${slug}\\.localhost:\\d+/$`));
    const op = await getOperation(t.res.db, operationId!);
    expect(op.status).toBe('succeeded');
    expect((op.output as { land: { staging: { url: string } } }).land.staging.url).toBe(staging);

    const refused = await runOrchard(['prompt', 'ab', '--url', base, '--token', token]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Describe what to build in a few words');
  });
});

describe('building a Blueprint', () => {
  it('refuses an unready Blueprint (422 with the unmet rules) unless overridden, and a second build while one runs (409)', {
    timeout: 60_000,
  }, async () => {
    const slug = (await api('POST', '/api/projects', { name: 'Empty' })).json().slug;
    const bp = (await api('POST', `/api/projects/${slug}/blueprints`, { title: 'Nothing yet' })).json();
    const refused = await api('POST', `/api/blueprints/${bp.id}/build`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().unmet.map((u: { rule: string }) => u.rule)).toContain('has-entity');
    const forced = await api('POST', `/api/blueprints/${bp.id}/build`, { override: true });
    expect(forced.statusCode, forced.body).toBe(202);
    const again = await api('POST', `/api/blueprints/${bp.id}/build`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().operationId).toBe(forced.json().operationId);
    const cancel = await api('POST', `/api/operations/${forced.json().operationId}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    // The cancelled build leaves the Blueprint editable again.
    const edit = await t.http.inject({
      method: 'PATCH',
      url: `/api/blueprints/${bp.id}`,
      headers: h,
      payload: [{ op: 'replace', path: '/summary', value: 'Now with a summary' }],
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const feature = (await api('GET', `/api/blueprints/${bp.id}/features`)).json().items[0];
    expect(feature.phase).toBe('cancelled');
    // Without an LLM provider, `auto` chat falls back to the rules; forcing `llm` is refused clearly.
    const forcedLlm = await api('POST', `/api/blueprints/${bp.id}/messages`, {
      content: 'add photos',
      mode: 'llm',
    });
    expect(forcedLlm.statusCode).toBe(422);
    expect(forcedLlm.json().detail).toMatch(/No LLM provider serves the "architect" alias/);
  });

  it('fails the test step with the failing job’s log tail when the pipeline fails, and the Blueprint is ready again', {
    timeout: 180_000,
  }, async () => {
    const slug = (await api('POST', '/api/projects', { name: 'Broken' })).json().slug;
    // main carries a failing test that the scaffold keeps (it only owns the files it writes).
    const bare = await ensureRepository(t.config.home, slug);
    const work = await localRepo();
    const broken =
      "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\ntest('broken', () => assert.equal('the floor is lava', 'solid ground'));\n";
    await commitFiles(work, { 'test/broken.test.js': broken }, 'A failing test');
    await gitOk(['push', '-q', bare, 'main:main'], work);

    const res = await api('POST', '/api/prompts', { prompt: 'a recipe box', project: slug });
    expect(res.statusCode, res.body).toBe(202);
    const { operationId, blueprintId } = res.json();
    const op = await waitForOperation(t.res.db, operationId, { timeoutMs: 150_000, bus: t.res.bus });
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ step: 'test' });
    const message = (op.error as { message: string }).message;
    expect(message).toMatch(/^Pipeline #\d+ failed: job test failed/);
    expect(message).toContain('the floor is lava');
    expect((await api('GET', `/api/blueprints/${blueprintId}`)).json().status).toBe('ready');
    const feature = (await api('GET', `/api/blueprints/${blueprintId}/features`)).json().items[0];
    expect(feature).toMatchObject({ phase: 'failed' });
    expect(feature.history.at(-1)).toMatchObject({ from: 'test', to: 'failed' });
  });
});
