import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { startWorkers } from '../../../../test/git.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * The Studio chat is a conversation of the conversations module: each turn's words are its
 * messages (not a second copy on the snapshot), each reply says who wrote it — rules, or the model
 * of its recorded call with the model it fell back from — and the conversation is read, searched
 * and exported like any other. The LLM Architect runs on two providers of the mock LLM server: the
 * first (Gemini) is down for the injected fault, the fallback (Anthropic) answers.
 */
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
          name: 'gemini',
          kind: 'gemini',
          baseUrl: mock.url,
          apiKey: 'gm-test',
          models: [{ id: 'gemini-2.5-pro', input: 1.25, output: 10 }],
        },
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-test',
          models: [{ id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true }],
        },
      ],
      aliases: { architect: ['gemini/gemini-2.5-pro', 'anthropic/claude-sonnet-4-5'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
      // One attempt per model: a 503 moves the call to the next model of the chain at once.
      retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
      breaker: { failureThreshold: 100, cooldownMs: 1_000 },
    },
  });
  workers = await startWorkers(t);
  h = bearer((await t.user('member')).token);
  slug = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: 'Chats' } })
  ).json().slug;
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});
beforeEach(() => mock.reset());

const get = async (url: string) => {
  const res = await t.http.inject({ url, headers: h });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const post = (url: string, payload: object) => t.http.inject({ method: 'POST', url, headers: h, payload });

async function blueprint(payload: object = { template: 'crud-app' }) {
  const res = await post(`/api/projects/${slug}/blueprints`, payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; conversationId: string | null; title: string };
}

/** One LLM turn, followed to its end. */
async function sayToLlm(id: string, content: string) {
  const res = await post(`/api/blueprints/${id}/messages`, { content, mode: 'llm' });
  expect(res.statusCode, res.body).toBe(202);
  return waitForOperation(t.res.db, res.json().operationId, { timeoutMs: 30_000, bus: t.res.bus });
}

describe('the Studio chat as a conversation', () => {
  it('stores each rule-based turn as two messages of the Blueprint’s conversation, the reply marked "rules"', async () => {
    const bp = await blueprint({ title: 'Bird watching' });
    expect(bp.conversationId).toBeNull();
    const turn = await post(`/api/blueprints/${bp.id}/messages`, {
      content: 'add entity Sighting with species:text!, seen:date',
      mode: 'rules',
    });
    expect(turn.statusCode, turn.body).toBe(200);
    expect(turn.json().snapshot).toMatchObject({
      message: 'add entity Sighting with species:text!, seen:date',
      answeredBy: { kind: 'rules' },
    });
    const conversationId = turn.json().blueprint.conversationId as string;
    expect(conversationId).toEqual(expect.any(String));
    await post(`/api/blueprints/${bp.id}/messages`, { content: 'make it pop', mode: 'rules' });

    const conversation = await get(`/api/conversations/${conversationId}`);
    expect(conversation).toMatchObject({ title: 'Bird watching', project: { slug }, messageCount: 4 });
    expect(
      conversation.messages.map((m: { role: string; data: object; answeredBy: object | null }) => [
        m.role,
        m.data,
        m.answeredBy,
      ]),
    ).toEqual([
      ['user', { blueprintId: bp.id, version: 2 }, null],
      ['assistant', { blueprintId: bp.id, version: 2, answeredBy: 'rules' }, { kind: 'rules' }],
      ['user', { blueprintId: bp.id, version: 3 }, null],
      ['assistant', { blueprintId: bp.id, version: 3, answeredBy: 'rules' }, { kind: 'rules' }],
    ]);
    expect(conversation.messages[3].content).toMatch(/^I didn't understand/);

    // One copy of the words: the snapshots link to the messages and hold no text of their own.
    const { rows } = await t.res.db.query(
      `SELECT version, message, reply, message_id, reply_id FROM blueprint_snapshots
       WHERE blueprint_id = $1 ORDER BY version`,
      [bp.id],
    );
    expect(rows.map((r) => [r.version, r.message, r.reply])).toEqual([
      [1, null, null],
      [2, null, null],
      [3, null, null],
    ]);
    expect(rows.slice(1).map((r) => [r.message_id, r.reply_id])).toEqual(
      [0, 1].map((i) => [conversation.messages[2 * i].id, conversation.messages[2 * i + 1].id]),
    );
    // …and the Studio's history reads the words back through them.
    const snapshots = (await get(`/api/blueprints/${bp.id}/snapshots`)).items;
    expect(snapshots.map((s: { message: string | null }) => s.message)).toEqual([
      null,
      'add entity Sighting with species:text!, seen:date',
      'make it pop',
    ]);
    expect((await get(`/api/blueprints/${bp.id}`)).conversationId).toBe(conversationId);
  });

  it('opens the conversation with a landing prompt, answered by the rule-based autopilot', async () => {
    const bp = await blueprint({ prompt: 'a bakery where customers preorder bread', template: 'crud-app' });
    const conversation = await get(`/api/conversations/${bp.conversationId}`);
    expect(conversation.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', 'a bakery where customers preorder bread'],
      ['assistant', 'Drafted from your prompt; every guess is listed under assumptions.'],
    ]);
    expect(conversation.messages[1].answeredBy).toEqual({ kind: 'rules' });
  });

  it('links an LLM reply to the call that wrote it: alias, the model that answered and the one it fell back from', async () => {
    const bp = await blueprint();
    const reply = 'I added a Loaf entity with a name. Which breads do you bake on weekends?';
    mock.setScenario([
      // The first model of the chain (Gemini) is overloaded; the fallback (Anthropic) answers.
      { fault: 'status', status: 503 },
      {
        json: {
          reply,
          patch: [
            {
              op: 'add',
              path: '/sections/dataModel/entities/-',
              value: {
                name: 'Loaf',
                fields: [{ name: 'name', type: 'text', required: true }],
                relations: [],
              },
            },
          ],
        },
      },
    ]);
    const op = await sayToLlm(bp.id, 'we sell sourdough loaves');
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(mock.requests().map((r) => r.protocol)).toEqual(['gemini', 'anthropic']);

    const answered = {
      kind: 'model',
      alias: 'architect',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      fallbackFrom: 'gemini/gemini-2.5-pro',
      failed: false,
    };
    const last = (await get(`/api/blueprints/${bp.id}/snapshots`)).items.at(-1);
    expect(last).toMatchObject({ message: 'we sell sourdough loaves', reply, answeredBy: answered });
    const { conversationId } = await get(`/api/blueprints/${bp.id}`);
    const conversation = await get(`/api/conversations/${conversationId}`);
    const message = conversation.messages.at(-1);
    expect(message).toMatchObject({ role: 'assistant', content: reply, answeredBy: answered });
    // The badge is read from the gateway's records of that call, which are booked to the conversation.
    const { rows } = await t.res.db.query(
      'SELECT provider, outcome, fallback_from, conversation_id FROM llm_calls WHERE call_id = $1 ORDER BY attempt',
      [message.llmCallId],
    );
    expect(rows).toEqual([
      { provider: 'gemini', outcome: 'error', fallback_from: null, conversation_id: conversationId },
      {
        provider: 'anthropic',
        outcome: 'ok',
        fallback_from: 'gemini/gemini-2.5-pro',
        conversation_id: conversationId,
      },
    ]);

    // The next turn remembers this one: the history comes from the conversation.
    mock.reset();
    mock.setScenario([{ json: { reply: 'Noted.', patch: [] } }]);
    expect((await sayToLlm(bp.id, 'and rye on Sundays')).status).toBe('succeeded');
    const second = JSON.stringify(mock.requests()[0]?.body);
    expect(second).toContain('we sell sourdough loaves');
    expect(second).toContain('Which breads do you bake on weekends?');
    // No fallback this time: the first model answered.
    expect((await get(`/api/blueprints/${bp.id}/snapshots`)).items.at(-1).answeredBy).toEqual({
      ...answered,
      provider: 'gemini',
      model: 'gemini-2.5-pro',
      fallbackFrom: null,
    });
  });

  it('marks a reply the model could not give as failed, naming the model that was asked', async () => {
    const bp = await blueprint();
    mock.setScenario([{ reply: 'not JSON at all' }]);
    const op = await sayToLlm(bp.id, 'add a thing');
    expect(op.status).toBe('failed');
    const last = (await get(`/api/blueprints/${bp.id}/snapshots`)).items.at(-1);
    expect(last.reply).toMatch(/^Sorry, I could not turn that into a valid change/);
    expect(last.answeredBy).toMatchObject({ kind: 'model', alias: 'architect', failed: true });
  });

  it('survives its conversation being deleted: the history keeps its versions, the next turn starts a new one', async () => {
    const bp = await blueprint();
    const first = (
      await post(`/api/blueprints/${bp.id}/messages`, { content: 'help', mode: 'rules' })
    ).json();
    const gone = first.blueprint.conversationId;
    expect(
      (await t.http.inject({ method: 'DELETE', url: `/api/conversations/${gone}`, headers: h })).statusCode,
    ).toBe(204);
    const snapshots = (await get(`/api/blueprints/${bp.id}/snapshots`)).items;
    expect(snapshots.map((s: { version: number; message: string | null }) => [s.version, s.message])).toEqual(
      [
        [1, null],
        [2, null],
      ],
    );
    const again = (
      await post(`/api/blueprints/${bp.id}/messages`, { content: 'help', mode: 'rules' })
    ).json();
    expect(again.blueprint.conversationId).not.toBe(gone);
    expect((await get(`/api/conversations/${again.blueprint.conversationId}`)).messageCount).toBe(2);
  });
});
