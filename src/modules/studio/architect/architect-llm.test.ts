import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { startWorkers } from '../../../../test/git.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { cancelOperation, getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';

/** The LLM Architect against the mock LLM server (Anthropic protocol), through the real gateway. */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
let slug: string;

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
          models: [{ id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true }],
        },
      ],
      aliases: { architect: ['anthropic/claude-sonnet-4-5'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    },
  });
  workers = await startWorkers(t);
  h = bearer((await t.user('member')).token);
  slug = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: 'Architect' } })
  ).json().slug;
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});
beforeEach(() => mock.reset());

const photo = {
  op: 'add',
  path: '/sections/dataModel/entities/-',
  value: { name: 'Photo', fields: [{ name: 'title', type: 'text', required: true }], relations: [] },
};

async function blueprint() {
  const res = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/blueprints`,
    headers: h,
    payload: { template: 'crud-app' },
  });
  return res.json() as { id: string; version: number; blueprint: { summary: string } };
}

async function say(id: string, content: string) {
  const res = await t.http.inject({
    method: 'POST',
    url: `/api/blueprints/${id}/messages`,
    headers: h,
    payload: { content },
  });
  expect(res.statusCode, res.body).toBe(202);
  const body = res.json();
  expect(body).toMatchObject({ mode: 'llm', eventsUrl: `/api/operations/${body.operationId}/events` });
  const op = await waitForOperation(t.res.db, body.operationId, { timeoutMs: 30_000, bus: t.res.bus });
  const events = (await t.http.inject({ url: `${body.eventsUrl}?limit=1000`, headers: h })).json()
    .items as Array<{ type: string; data: Record<string, unknown> }>;
  return { op, events, of: (type: string) => events.filter((e) => e.type === type).map((e) => e.data) };
}

const get = async (id: string) => (await t.http.inject({ url: `/api/blueprints/${id}`, headers: h })).json();
const snapshots = async (id: string) =>
  (await t.http.inject({ url: `/api/blueprints/${id}/snapshots`, headers: h })).json().items;

describe('the LLM Architect', () => {
  it('streams the reply as llm.delta events and applies the patch as one snapshot', async () => {
    const bp = await blueprint();
    const reply = 'I added a Photo entity with a required title. Should visitors be able to like photos?';
    mock.setScenario([{ json: { reply, patch: [photo] }, chunkSize: 6 }]);
    const turn = await say(bp.id, 'we also need photos with a title');
    expect(turn.op.status, JSON.stringify(turn.op.error)).toBe('succeeded');
    const deltas = turn.of('llm.delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((d) => d.text).join('')).toBe(reply);
    expect(turn.of('architect.reply')).toEqual([
      expect.objectContaining({ reply, version: bp.version + 1, repairs: 0, patch: [photo] }),
    ]);
    expect(turn.of('llm.usage')[0]).toMatchObject({ model: 'claude-sonnet-4-5', provider: 'anthropic' });
    const after = await get(bp.id);
    expect(after.version).toBe(bp.version + 1);
    expect(after.blueprint.sections.dataModel.entities.map((e: { name: string }) => e.name)).toContain(
      'Photo',
    );
    const last = (await snapshots(bp.id)).at(-1);
    expect(last).toMatchObject({
      kind: 'chat',
      message: 'we also need photos with a title',
      reply,
      operationId: turn.op.id,
    });
    // The model saw the Blueprint as it was and the system prompt from the file.
    const request = JSON.stringify(mock.requests()[0]?.body);
    expect(request).toContain('The person says: we also need photos with a title');
    expect(request).toContain('You are the Architect of Orchard');
  });

  it('repairs an answer whose patch does not apply: re-asks with the error, then accepts the corrected one', async () => {
    const bp = await blueprint();
    mock.setScenario([
      {
        json: { reply: 'Done, I renamed it.', patch: [{ op: 'replace', path: '/sections/nope', value: 1 }] },
      },
      {
        json: {
          reply: 'I rewrote the summary.',
          patch: [{ op: 'replace', path: '/summary', value: 'Projects and their tasks, for a small team.' }],
        },
      },
    ]);
    const turn = await say(bp.id, 'make the summary about small teams');
    expect(turn.op.status, JSON.stringify(turn.op.error)).toBe('succeeded');
    expect(turn.of('llm.repair')).toEqual([
      expect.objectContaining({
        attempt: 1,
        problem: expect.stringContaining('the patch cannot be applied'),
      }),
    ]);
    // Deltas of the void first answer carry attempt 0; the accepted reply is attempt 1.
    expect(
      turn
        .of('llm.delta')
        .filter((d) => d.attempt === 1)
        .map((d) => d.text)
        .join(''),
    ).toBe('I rewrote the summary.');
    expect(turn.of('architect.reply')[0]).toMatchObject({ reply: 'I rewrote the summary.', repairs: 1 });
    expect(mock.requests()).toHaveLength(2);
    expect(JSON.stringify(mock.requests()[1]?.body)).toContain(
      'That answer could not be used: the patch cannot be applied',
    );
    expect((await get(bp.id)).blueprint.summary).toBe('Projects and their tasks, for a small team.');
  });

  it('repairs an answer that is not JSON at all', async () => {
    const bp = await blueprint();
    mock.setScenario([
      { reply: 'Sure! I will add photos {' },
      { json: { reply: 'Added photos.', patch: [photo] } },
    ]);
    const turn = await say(bp.id, 'add photos');
    expect(turn.op.status).toBe('succeeded');
    expect(turn.of('llm.repair')[0]?.problem).toMatch(/^the answer is not JSON/);
  });

  it('gives up after the bounded re-asks with a clear failure, keeping the last good Blueprint', async () => {
    const bp = await blueprint();
    mock.setScenario([
      {
        json: {
          reply: 'Here you go',
          patch: [
            {
              op: 'add',
              path: '/sections/dataModel/entities/-',
              value: { name: 'lowercase nope', fields: [] },
            },
          ],
        },
      },
    ]);
    const turn = await say(bp.id, 'add a thing');
    expect(turn.op.status).toBe('failed');
    expect((turn.op.error as { message: string }).message).toMatch(
      /could not be used after 2 re-asks: the patch cannot be applied/,
    );
    expect(mock.requests()).toHaveLength(3);
    const after = await get(bp.id);
    expect(after.blueprint).toEqual(bp.blueprint);
    const last = (await snapshots(bp.id)).at(-1);
    expect(last).toMatchObject({ kind: 'chat', message: 'add a thing', patch: [], operationId: turn.op.id });
    expect(last.reply).toMatch(
      /^Sorry, I could not turn that into a valid change\. .* The Blueprint is unchanged/,
    );
    expect(turn.of('architect.reply')[0]).toMatchObject({ failed: true });
  });

  it('still answers with the rule-based Architect when asked to (mode rules)', async () => {
    const bp = await blueprint();
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/blueprints/${bp.id}/messages`,
      headers: h,
      payload: { content: 'add entity Tag with label:text', mode: 'rules' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().mode).toBe('rules');
    expect(mock.requests()).toHaveLength(0);
  });

  it('drafts a landing prompt’s Blueprint with the LLM, and keeps the rule-based draft when the LLM answer is unusable', {
    timeout: 60_000,
  }, async () => {
    const draft = (await blueprint()).blueprint as Record<string, unknown>;
    const cases = [
      {
        scenario: [{ json: { ...draft, feature: 'Team task board' } }],
        mode: 'llm',
        feature: 'Team task board',
        version: 2,
      },
      { scenario: [{ reply: 'no idea' }], mode: 'rules', feature: 'Recipe box', version: 1 },
    ];
    for (const c of cases) {
      mock.reset();
      mock.setScenario(c.scenario);
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/prompts',
        headers: h,
        payload: { prompt: 'a recipe box', project: slug },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { operationId, blueprintId } = res.json();
      const deadline = Date.now() + 30_000;
      let step: { status: string; output: unknown } | undefined;
      while (step?.status !== 'succeeded' && Date.now() < deadline) {
        step = (await getOperation(t.res.db, operationId)).steps.find((s) => s.key === 'draft-blueprint');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(step?.output).toMatchObject({ mode: c.mode, version: c.version });
      await cancelOperation(t.res.db, t.res.registry, { actor: SYSTEM_ACTOR }, operationId);
      const bp = await get(blueprintId);
      expect(bp.blueprint.feature).toBe(c.feature);
    }
  });
});
