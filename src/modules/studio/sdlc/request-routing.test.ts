import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { cancelOperation } from '../../operations/index.ts';
import { advanceFeature } from '../advance-feature.ts';
import { wholeBlueprintClassification } from '../build/start-build.ts';
import { insertFeature } from '../feature-store.ts';

/**
 * Requests are classified and routed by kind (rules mode: no model serves the `fast` alias). A bug
 * report and a feature request take different paths. A model serves `coder` so change requests are
 * accepted; no worker runs, so nothing is built (each build is cancelled once looked at).
 */
let t: TestApp;
let mock: MockLlm;
let h: { authorization: string };
let slug: string;
let projectId: string;
let blueprintId: string;

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    llm: {
      providers: [
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-test',
          models: [{ id: 'claude-sonnet-4-5' }],
        },
      ],
      aliases: { coder: ['anthropic/claude-sonnet-4-5'] },
    },
  });
  h = bearer((await t.user('member')).token);
  const project = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: 'Shop' } })
  ).json();
  slug = project.slug;
  projectId = project.id;
  const bp = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/blueprints`,
    headers: h,
    payload: { template: 'crud-app' },
  });
  blueprintId = bp.json().id;
  // The app is built: the Blueprint's first feature went all the way.
  const built = await insertFeature(t.res.db, {
    projectId,
    blueprintId,
    slug: 'shop',
    branch: 'orchard/shop',
    title: 'Shop',
    classification: wholeBlueprintClassification(new Date()),
  });
  await advanceFeature(t.res.db, t.res.clock, built.id, 'done', 'verified');
}, 60_000);
afterAll(async () => {
  await t?.close();
  await mock?.close();
});

interface Feature {
  id: string;
  kind: string;
  phase: string;
  phases: string[];
  classification: { kind: string; source: string; confidence: number; reason: string };
}

/** The build's feature as the board shows it, then the build is cancelled (no worker builds here). */
async function featureOf(started: { operationId: string; featureId: string }) {
  const board = (await t.http.inject({ url: `/api/projects/${slug}/board`, headers: h })).json();
  const feature = board.cards.find((c: { id: string }) => c.id === started.featureId) as Feature;
  await cancelOperation(t.res.db, t.res.registry, { actor: SYSTEM_ACTOR }, started.operationId);
  return feature;
}

async function change(request: string, kind?: string) {
  const res = await t.http.inject({
    method: 'POST',
    url: `/api/blueprints/${blueprintId}/changes`,
    headers: h,
    payload: { request, ...(kind ? { kind } : {}) },
  });
  expect(res.statusCode, res.body).toBe(202);
  return { started: res.json(), feature: await featureOf(res.json()) };
}

async function prompt(text: string) {
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/prompts',
    headers: h,
    payload: { prompt: text, project: slug },
  });
  expect(res.statusCode, res.body).toBe(202);
  return { started: res.json(), feature: await featureOf(res.json()) };
}

describe('change requests from the Studio are classified and routed by kind', () => {
  it('sends a bug report straight to implement, and a feature request through spec and plan', async () => {
    const bug = await change(
      "The cart page crashes with a TypeError when it is empty; checkout doesn't work.",
    );
    expect(bug.started.classification).toMatchObject({ kind: 'bugfix', source: 'rules' });
    expect(bug.feature).toMatchObject({
      kind: 'bugfix',
      phase: 'implement',
      phases: ['implement', 'test', 'deploy', 'verify', 'done'],
    });
    const wish = await change('Add a wishlist so shoppers can save products for later');
    expect(wish.started.classification).toMatchObject({ kind: 'feature', source: 'rules' });
    expect(wish.feature).toMatchObject({
      kind: 'feature',
      phase: 'spec',
      phases: ['spec', 'plan', 'implement', 'test', 'deploy', 'verify', 'done'],
    });
  });

  it('takes the kind from the person when they say it: a chore starts at plan', async () => {
    const chore = await change('Bring the product list up to date', 'chore');
    expect(chore.feature).toMatchObject({
      kind: 'chore',
      phase: 'plan',
      classification: { kind: 'chore', source: 'person', confidence: 1 },
    });
  });
});

describe('prompts to a project whose app is built', () => {
  it('make a bug report a change request of the app, and a feature request a new Blueprint', async () => {
    const bug = await prompt('Fix: the search page is blank after signing in');
    expect(bug.started).toMatchObject({ route: 'change', blueprintId, classification: { kind: 'bugfix' } });
    expect(bug.feature).toMatchObject({ kind: 'bugfix', phase: 'implement' });

    const wish = await prompt('Let customers leave reviews on products');
    expect(wish.started).toMatchObject({ route: 'blueprint', classification: { kind: 'feature' } });
    expect(wish.started.blueprintId).not.toBe(blueprintId);
    expect(wish.feature).toMatchObject({ kind: 'feature', phase: 'spec' });
  });
});

describe('issues', () => {
  it('are classified by the rules as they are opened: a bug report and a feature request differ', async () => {
    const open = async (title: string, body: string) => {
      const res = await t.http.inject({
        method: 'POST',
        url: `/api/projects/${slug}/issues`,
        headers: h,
        payload: { title, body },
      });
      expect(res.statusCode, res.body).toBe(201);
      return `/api/projects/${slug}/issues/${res.json().number}/classification`;
    };
    const bug = await open(
      'Checkout fails',
      'Steps to reproduce: add a product, pay. Expected: a receipt. Actual: error 500.',
    );
    const wish = await open('Gift cards', 'As a shopper I want to buy gift cards for friends.');
    const bugClass = (await t.http.inject({ url: bug, headers: h })).json();
    expect(bugClass.classification).toMatchObject({
      kind: 'bugfix',
      source: 'rules',
      phases: ['implement', 'test', 'deploy', 'verify', 'done'],
    });
    expect(bugClass.operationId).toBeNull();
    expect((await t.http.inject({ url: wish, headers: h })).json().classification).toMatchObject({
      kind: 'feature',
      source: 'rules',
    });
    // Asked again, the classifier answers again (no model: the rules, at once).
    const again = await t.http.inject({ method: 'POST', url: wish, headers: h });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ classification: { kind: 'feature' }, operationId: null });
    expect(
      (await t.http.inject({ url: `/api/projects/${slug}/issues/999/classification`, headers: h }))
        .statusCode,
    ).toBe(404);
  });
});
